CREATE TABLE stock (
    sku text PRIMARY KEY,
    qty integer NOT NULL CHECK (qty >= 0)
);

CREATE TABLE orders (
    id bigserial PRIMARY KEY,
    customer text NOT NULL,
    status text NOT NULL DEFAULT 'placed',
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE order_lines (
    order_id bigint NOT NULL REFERENCES orders (id),
    sku text NOT NULL REFERENCES stock (sku),
    qty integer NOT NULL CHECK (qty > 0),
    PRIMARY KEY (order_id, sku)
);
