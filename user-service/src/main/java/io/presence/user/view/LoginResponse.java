package io.presence.user.view;

/** Answer to a login: the session token (also set as an HttpOnly cookie) and who logged in. */
public record LoginResponse(String token, long expiresInSeconds, Me user) {
}
