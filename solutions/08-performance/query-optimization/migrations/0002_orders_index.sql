-- TODO(1), done: the index the customer's order list needs. Equality
-- columns first, then the sort column in the order the query reads it, so
-- PostgreSQL finds the customer's orders in that status already sorted and
-- stops after the twentieth.
CREATE INDEX orders_customer_status_created
    ON orders (customer_id, status, created_at DESC);
