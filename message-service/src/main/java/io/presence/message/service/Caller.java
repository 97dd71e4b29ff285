package io.presence.message.service;

/** The logged-in user making a request, as user-service identified them. */
public record Caller(long id, String handle, String displayName) {
}
