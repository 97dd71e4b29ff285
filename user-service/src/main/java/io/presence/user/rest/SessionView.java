package io.presence.user.rest;

/** Answer to "am I logged in?". */
public record SessionView(Me user) {
}
