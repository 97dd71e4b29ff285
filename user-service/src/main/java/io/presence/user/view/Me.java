package io.presence.user.view;

import java.time.OffsetDateTime;

/** The logged-in user's own view of their account, default status text included. */
public record Me(String id, String handle, String displayName, String status, OffsetDateTime createdAt) {
}
