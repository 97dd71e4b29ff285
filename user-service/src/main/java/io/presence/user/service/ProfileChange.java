package io.presence.user.service;

/** A change of one's own profile: null fields stay as they are, empty strings clear them. */
public record ProfileChange(String displayName, String status) {
}
