CREATE TABLE users (
    id bigserial PRIMARY KEY,
    email text NOT NULL UNIQUE,
    -- a PHC string: $argon2id$v=19$m=...,t=...,p=...$salt$hash
    password_hash text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
