package io.presence.user.service;

/** An account is about to be deleted: fired inside the deleting transaction, before its rows go. */
public record AccountDeleting(long accountId) {
}
