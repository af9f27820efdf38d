CREATE TABLE products (
    id          int PRIMARY KEY,
    name        text NOT NULL,
    price_cents int NOT NULL
);
