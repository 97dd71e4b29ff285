-- Per-member read cursor of a room (the id of the last message read; 0 = nothing read) and the member's handle,
-- learnt from the session at join time, so member lists and system messages need no call to user-service.
-- The cursor only moves forward: "UPDATE ... SET last_read_id = ? WHERE ... AND last_read_id < ?" is atomic, so
-- concurrent updates from two tabs can never move it back.
ALTER TABLE room_members
    ADD COLUMN last_read_id BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN handle       VARCHAR(32);
