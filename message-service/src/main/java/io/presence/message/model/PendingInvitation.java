package io.presence.message.model;

import java.time.OffsetDateTime;

/** A pending invitation with the room it opens. */
public record PendingInvitation(long roomId, String name, String visibility, String topic,
                                long createdBy, OffsetDateTime roomCreatedAt, long invitedBy, OffsetDateTime invitedAt) {
}
