package io.presence.message.view;

import java.time.OffsetDateTime;

/** A room as listings show it. */
public record RoomSummary(String id, String name, String visibility, String topic, OffsetDateTime createdAt) {
}
