-- The shop's tables (given). Orders carry their packing slip: a few
-- hundred bytes nobody needs in a list.
CREATE TABLE products (
    id          int PRIMARY KEY,
    name        text NOT NULL,
    price_cents int NOT NULL
);

CREATE TABLE orders (
    id           bigint PRIMARY KEY,
    customer_id  int NOT NULL,
    status       text NOT NULL,
    created_at   timestamptz NOT NULL,
    product_id   int NOT NULL REFERENCES products (id),
    qty          int NOT NULL,
    packing_slip text NOT NULL
);
