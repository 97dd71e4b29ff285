package io.presence.user.service;

/** A block was added or lifted; fired inside the transaction, acted on after it commits. */
public record BlockChanged(long blockerId, long blockedId, boolean blocked) {
}
