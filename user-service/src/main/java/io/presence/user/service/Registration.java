package io.presence.user.service;

/** What a new account is registered with; the REST body is validated before it becomes this. */
public record Registration(String handle, String password, String displayName, String status) {
}
