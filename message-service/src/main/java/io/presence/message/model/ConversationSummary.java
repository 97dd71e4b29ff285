package io.presence.message.model;

import java.time.OffsetDateTime;

/** One of a user's conversations with that user's read state. */
public record ConversationSummary(long id, long userLow, long userHigh, long myReadId,
                                  long otherReadId, long unread, Long lastMessageId, OffsetDateTime createdAt) {
}
