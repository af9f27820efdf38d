-- The shop's schema, and a year of orders so that a slow plan is slow.
CREATE TABLE customers (
    id    bigserial PRIMARY KEY,
    email text NOT NULL UNIQUE,
    name  text NOT NULL
);

CREATE TABLE orders (
    id          bigserial   PRIMARY KEY,
    customer_id bigint      NOT NULL REFERENCES customers (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    total_cents bigint      NOT NULL
);

CREATE TABLE order_items (
    id       bigserial PRIMARY KEY,
    order_id bigint    NOT NULL REFERENCES orders (id),
    sku      text      NOT NULL,
    qty      int       NOT NULL CHECK (qty > 0)
);

INSERT INTO customers (email, name)
SELECT 'Customer' || i || '@Example.test', 'customer ' || i
FROM generate_series(1, 2000) AS i;

INSERT INTO orders (customer_id, created_at, total_cents)
SELECT 1 + (i * 7919) % 2000, now() - make_interval(mins => i * 5), 100 + (i * 31) % 9900
FROM generate_series(1, 60000) AS i;

INSERT INTO order_items (order_id, sku, qty)
SELECT 1 + i / 2, 'sku-' || (i % 97), 1 + i % 3
FROM generate_series(0, 119999) AS i;

ANALYZE customers;
ANALYZE orders;
ANALYZE order_items;
