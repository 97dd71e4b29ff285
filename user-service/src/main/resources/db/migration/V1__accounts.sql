-- Accounts: the handle is the pseudonym others see, stored lower-case so uniqueness is case-insensitive.
CREATE TABLE accounts (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    handle        VARCHAR(32)  NOT NULL,
    password_hash VARCHAR(255) NOT NULL,
    display_name  VARCHAR(64),
    status_text   VARCHAR(100),
    created_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT accounts_handle_format CHECK (handle ~ '^[a-z0-9_.-]{3,32}$')
);

CREATE UNIQUE INDEX accounts_handle_key ON accounts (handle);
