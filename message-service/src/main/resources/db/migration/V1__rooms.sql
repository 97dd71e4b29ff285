-- Rooms people join to talk; public ones are listed for everyone, private ones by invitation.
CREATE TABLE rooms (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       VARCHAR(80)  NOT NULL,
    visibility VARCHAR(10)  NOT NULL CHECK (visibility IN ('public', 'private')),
    topic      VARCHAR(200),
    created_by BIGINT       NOT NULL,
    created_at TIMESTAMPTZ  NOT NULL DEFAULT now()
);

CREATE INDEX rooms_public_by_name ON rooms (lower(name), id) WHERE visibility = 'public';
