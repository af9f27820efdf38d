CREATE TABLE accounts (
    id      bigserial PRIMARY KEY,
    owner   text      NOT NULL,
    balance bigint    NOT NULL CHECK (balance >= 0)
);

-- The ledger: every transfer that happened, for the auditors.
CREATE TABLE transfers (
    id         bigserial   PRIMARY KEY,
    from_id    bigint      NOT NULL REFERENCES accounts (id),
    to_id      bigint      NOT NULL REFERENCES accounts (id),
    amount     bigint      NOT NULL CHECK (amount > 0),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX transfers_from_id_idx ON transfers (from_id);
CREATE INDEX transfers_to_id_idx ON transfers (to_id);
