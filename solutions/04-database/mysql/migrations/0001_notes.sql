-- MySQL and MariaDB commit DDL implicitly: one statement per migration
-- keeps a failure from leaving half a schema behind.
CREATE TABLE notes (
    id         BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    text       VARCHAR(500) NOT NULL,
    created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
