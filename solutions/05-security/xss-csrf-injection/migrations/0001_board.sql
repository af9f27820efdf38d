-- Every member has an API key: what an injection would love to read.
CREATE TABLE members (
    name text PRIMARY KEY,
    api_key text NOT NULL
);

CREATE TABLE comments (
    id bigserial PRIMARY KEY,
    author text NOT NULL REFERENCES members (name),
    body text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
