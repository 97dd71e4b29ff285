-- The app store: every tenant (Pusher app) of the deployment. The secret is kept in clear because verifying an HMAC
-- signature needs it; the database is the trust boundary. A limit left null takes the deployment default (apps.defaults.*),
-- -1 means no limit. Column names follow soketi's app config (maxConnections -> max_connections).
CREATE TABLE apps (
    id                               TEXT        PRIMARY KEY,
    key                              TEXT        NOT NULL UNIQUE,
    secret                           TEXT        NOT NULL,
    previous_secret                  TEXT,
    previous_secret_until            TIMESTAMPTZ,
    enabled                          BOOLEAN     NOT NULL DEFAULT TRUE,
    max_connections                  INTEGER,
    enable_client_messages           BOOLEAN,
    max_backend_events_per_second    INTEGER,
    max_client_events_per_second     INTEGER,
    max_read_requests_per_second     INTEGER,
    max_presence_members_per_channel INTEGER,
    max_presence_member_size_in_kb   DOUBLE PRECISION,
    max_channel_name_length          INTEGER,
    max_event_channels_at_once       INTEGER,
    max_event_name_length            INTEGER,
    max_event_payload_in_kb          DOUBLE PRECISION,
    max_event_batch_size             INTEGER,
    enable_user_authentication       BOOLEAN,
    webhooks                         JSONB       NOT NULL DEFAULT '[]',
    encryption_master_key            TEXT,
    presence_visibility              TEXT        NOT NULL DEFAULT 'everyone' CHECK (presence_visibility IN ('everyone', 'contacts')),
    created_at                       TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at                       TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- The store's change counter: every transaction that changes an app counts it up (holding its row lock until the
-- commit), so the snapshots published to Redis are ordered and a later one always holds every earlier change.
CREATE TABLE app_store_version (
    only_row BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (only_row),
    version  BIGINT  NOT NULL
);

INSERT INTO app_store_version (only_row, version) VALUES (TRUE, 0);
