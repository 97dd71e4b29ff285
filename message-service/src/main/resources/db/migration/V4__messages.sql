-- Messages of rooms and direct conversations. Ids come from one identity sequence, so within a room or a
-- conversation a higher id is a later message: history pages and read cursors are keyed on id alone.
-- Deleted messages stay as tombstones (body NULL, deleted_at set) so every id a client holds as a cursor
-- remains valid.
CREATE TABLE messages (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    room_id           BIGINT REFERENCES rooms (id) ON DELETE CASCADE,
    conversation_id   BIGINT REFERENCES conversations (id) ON DELETE CASCADE,
    author_id         BIGINT        NOT NULL,
    author_handle     VARCHAR(32)   NOT NULL,
    kind              VARCHAR(10)   NOT NULL DEFAULT 'user' CHECK (kind IN ('user', 'system')),
    body              VARCHAR(4000),
    client_message_id VARCHAR(100),
    created_at        TIMESTAMPTZ   NOT NULL DEFAULT now(),
    edited_at         TIMESTAMPTZ,
    deleted_at        TIMESTAMPTZ,
    CONSTRAINT messages_one_place CHECK ((room_id IS NULL) <> (conversation_id IS NULL)),
    CONSTRAINT messages_tombstone CHECK ((deleted_at IS NULL) = (body IS NOT NULL)),
    -- Idempotent sends: one message per (author, client key). A retried POST hits this constraint
    -- (INSERT ... ON CONFLICT DO NOTHING waits for a concurrent insert of the same key to commit or roll back),
    -- so concurrent retries end with exactly one row. System messages have no key (NULLs never conflict).
    CONSTRAINT messages_author_client_message_key UNIQUE (author_id, client_message_id)
);

-- Keyset pagination: "WHERE room_id = ? AND id < ? ORDER BY id DESC LIMIT n" walks this index backwards from
-- the cursor and stops after n entries, so a page costs the same with ten messages or ten million (OFFSET would
-- read and discard every skipped row). Unread counts ("id > cursor") use the same index. Partial, because each
-- message belongs to either a room or a conversation, never both.
CREATE INDEX messages_room_page ON messages (room_id, id) WHERE room_id IS NOT NULL;
CREATE INDEX messages_conversation_page ON messages (conversation_id, id) WHERE conversation_id IS NOT NULL;
