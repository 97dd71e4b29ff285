-- Invitations to rooms: a member invites a user, who may then join (the only way into a private room).
-- Joining consumes the invitation; declining deletes it.
CREATE TABLE room_invitations (
    room_id    BIGINT      NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    user_id    BIGINT      NOT NULL,
    invited_by BIGINT      NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (room_id, user_id)
);

-- "My pending invitations".
CREATE INDEX room_invitations_user ON room_invitations (user_id);
