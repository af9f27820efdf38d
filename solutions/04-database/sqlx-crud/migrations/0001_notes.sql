-- The notes table. A migration that has run must never change: the next
-- change to the schema is a new file, 0002_....sql.
CREATE TABLE notes (
    id         bigserial   PRIMARY KEY,
    text       text        NOT NULL CHECK (char_length(text) BETWEEN 1 AND 500),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
