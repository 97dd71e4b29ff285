package io.presence.message.rest;

import io.presence.common.session.SessionLookup;
import io.presence.common.session.SessionUser;
import io.presence.message.client.UserDirectory;
import io.presence.message.service.Caller;
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
        SessionUser user = users.user(headers);
        long id;
        try {
            id = Long.parseLong(user.id());
        } catch (NumberFormatException e) {
            throw SessionLookup.unavailable("user-service answered an account id that is not a number");
        }
        return new Caller(id, user.handle(), user.displayName());
    }
}
