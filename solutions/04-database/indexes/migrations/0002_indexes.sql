-- The indexes the three queries of src/db.rs need, and no more.

-- A customer's latest orders: equality on customer_id, then walked in
-- (created_at, id) order, backwards, so LIMIT stops after 20 index entries
-- and nothing is sorted.
CREATE INDEX orders_customer_created_idx ON orders (customer_id, created_at, id);

-- A customer by e-mail, whatever its case: the query compares lower(email),
-- which the UNIQUE index on email cannot serve.
CREATE INDEX customers_lower_email_idx ON customers (lower(email));

-- An order's items: PostgreSQL does not index the referencing side of a
-- foreign key by itself.
CREATE INDEX order_items_order_id_idx ON order_items (order_id);
