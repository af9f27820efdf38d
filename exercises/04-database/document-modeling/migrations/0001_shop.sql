-- Customers and products change on their own and are shared by many
-- orders: they are referenced. (Given.)
CREATE TABLE customers (
    id   bigserial PRIMARY KEY,
    name text      NOT NULL
);

CREATE TABLE products (
    sku         text   PRIMARY KEY,
    name        text   NOT NULL,
    price_cents bigint NOT NULL CHECK (price_cents >= 0)
);
