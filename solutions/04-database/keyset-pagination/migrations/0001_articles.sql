CREATE TABLE articles (
    id           bigserial   PRIMARY KEY,
    title        text        NOT NULL,
    published_at timestamptz NOT NULL
);
-- The feed's order, newest first, id breaking ties: every page is one
-- walk down this index from the cursor.
CREATE INDEX articles_feed_idx ON articles (published_at, id);
