package io.presence.message.model;

import java.time.OffsetDateTime;

/** One of a user's rooms with that user's read state. */
public record JoinedRoom(long roomId, String name, String visibility, String topic,
                         long createdBy, OffsetDateTime createdAt, OffsetDateTime joinedAt, long lastReadId, long unread) {
}
