package io.presence.message.rest;

import io.presence.common.session.SessionLookup;
import io.presence.common.session.SessionUser;
import io.presence.message.client.UserDirectory;
import io.presence.message.service.Caller;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;

/** Turns a request's session headers into the {@link Caller} the services work with, asking user-service who it is. */
@ApplicationScoped
public class CallerResolver {

    private final UserDirectory users;

    public CallerResolver(UserDirectory users) {
        this.users = users;
    }

    /** The caller of this request; 401 without a live session, 503 when user-service cannot be asked. */
    public Caller caller(HttpHeaders headers) {
        return caller(users.user(headers));
    }

    /** As {@link #caller(HttpHeaders)} from the two credential headers, without blocking (see {@link UserDirectory#userAsync}). */
    public Uni<Caller> caller(String authorization, String cookie) {
        return users.userAsync(authorization, cookie).map(CallerResolver::caller);
    }

    private static Caller caller(SessionUser user) {
        long id;
        try {
            id = Long.parseLong(user.id());
        } catch (NumberFormatException e) {
            throw SessionLookup.unavailable("user-service answered an account id that is not a number");
        }
        return new Caller(id, user.handle(), user.displayName());
    }
}
