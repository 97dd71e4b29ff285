package io.presence.user.view;

import java.time.OffsetDateTime;

/** What anyone may see of an account. */
public record UserProfile(String id, String handle, String displayName, OffsetDateTime createdAt) {
}
