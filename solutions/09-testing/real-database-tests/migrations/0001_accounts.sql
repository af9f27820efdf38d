CREATE TABLE users (
    id bigserial PRIMARY KEY,
    email text NOT NULL UNIQUE,
    name text NOT NULL
);

CREATE TABLE accounts (
    id bigserial PRIMARY KEY,
    owner bigint NOT NULL REFERENCES users (id),
    balance bigint NOT NULL CHECK (balance >= 0)
);
