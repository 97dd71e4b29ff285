package io.presence.user.view;

/** Answer to "am I logged in?". */
public record SessionView(Me user) {
}
