package io.presence.presence.service;

import io.presence.common.app.App;

/**
 * Who is asking: a logged-in user (their id) or a backend that signed the request with an app's key and secret.
 *
 * @param userId the logged-in user, or null for a backend
 * @param app    the app a backend signed for, or null for a user
 */
public record Caller(String userId, App app) {

    public static Caller user(String userId) {
        return new Caller(userId, null);
    }

    public static Caller backend(App app) {
        return new Caller(null, app);
    }

    public boolean isBackend() {
        return app != null;
    }
}
