CREATE TABLE authors (
    id   bigserial PRIMARY KEY,
    name text      NOT NULL
);

CREATE TABLE posts (
    id        bigserial PRIMARY KEY,
    author_id bigint    NOT NULL REFERENCES authors (id),
    title     text      NOT NULL
);
CREATE INDEX posts_author_id_idx ON posts (author_id);
