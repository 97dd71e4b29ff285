package io.presence.message.model;

import java.time.OffsetDateTime;

/** One member of a room. */
public record RoomMember(long userId, String handle, OffsetDateTime joinedAt, long lastReadId) {
}
