-- Contact requests between two accounts; a declined or removed one is deleted, so the sender may ask again.
CREATE TABLE contact_requests (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    requester_id BIGINT      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    addressee_id BIGINT      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    state        VARCHAR(10) NOT NULL CHECK (state IN ('pending', 'accepted')),
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    responded_at TIMESTAMPTZ,
    CONSTRAINT contact_requests_not_self CHECK (requester_id <> addressee_id)
);

-- At most one relation per pair of accounts, whoever asked.
CREATE UNIQUE INDEX contact_requests_pair ON contact_requests (LEAST(requester_id, addressee_id), GREATEST(requester_id, addressee_id));
CREATE INDEX contact_requests_addressee ON contact_requests (addressee_id, state);
CREATE INDEX contact_requests_requester ON contact_requests (requester_id, state);

-- Blocks are one-way: the blocker hides from and refuses the blocked account.
CREATE TABLE blocks (
    blocker_id BIGINT      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    blocked_id BIGINT      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (blocker_id, blocked_id),
    CONSTRAINT blocks_not_self CHECK (blocker_id <> blocked_id)
);

CREATE INDEX blocks_blocked ON blocks (blocked_id);
