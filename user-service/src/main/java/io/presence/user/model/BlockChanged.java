package io.presence.user.model;

/** A block was added or lifted; fired inside the transaction, acted on after it commits. */
public record BlockChanged(long blockerId, long blockedId, boolean blocked) {
}
