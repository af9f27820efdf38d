CREATE TABLE products (
    id          bigserial PRIMARY KEY,
    name        text      NOT NULL,
    price_cents bigint    NOT NULL CHECK (price_cents >= 0)
);
