-- An order is one document: its lines (with the name and price they were
-- sold at) and its shipping address are embedded, because they belong to
-- the order, are read with it and are bounded. The customer is a
-- reference: one row many orders point at, whose name can change.
CREATE TABLE orders (
    id          bigserial   PRIMARY KEY,
    customer_id bigint      NOT NULL REFERENCES customers (id),
    doc         jsonb       NOT NULL CHECK (jsonb_typeof(doc->'lines') = 'array'),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX orders_customer_id_idx ON orders (customer_id);
-- Serves containment (@>) queries into the documents: orders with a line
-- of some SKU.
CREATE INDEX orders_doc_idx ON orders USING gin (doc jsonb_path_ops);
