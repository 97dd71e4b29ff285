-- Direct conversations between two users (seed 001). One row per pair, stored in canonical order
-- (user_low < user_high, as in the channel name private-dm-{low}-{high}), so "the conversation of a and b" is one
-- unique-index lookup and two concurrent first messages cannot create it twice.
-- Each side's read cursor lives here: a conversation has exactly two readers.
CREATE TABLE conversations (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_low     BIGINT      NOT NULL,
    user_high    BIGINT      NOT NULL,
    low_read_id  BIGINT      NOT NULL DEFAULT 0,
    high_read_id BIGINT      NOT NULL DEFAULT 0,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT conversations_canonical_pair CHECK (user_low < user_high),
    CONSTRAINT conversations_pair_key UNIQUE (user_low, user_high)
);

-- "My conversations" looks a user up on either side: the unique index above serves user_low = ?, this one
-- serves user_high = ?.
CREATE INDEX conversations_user_high ON conversations (user_high);
