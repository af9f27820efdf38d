CREATE TABLE notes (
    id      bigserial PRIMARY KEY,
    owner   text      NOT NULL,
    title   text      NOT NULL,
    body    text      NOT NULL,
    version bigint    NOT NULL DEFAULT 1,
    UNIQUE (owner, title)
);
