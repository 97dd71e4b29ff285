package io.presence.presence.client;

import io.presence.common.session.SessionLookup;
import io.presence.common.session.SessionUser;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** Finds the user behind a session token or cookie by asking user-service, which owns sessions; nothing is cached. */
@ApplicationScoped
public class SessionClient {

    private final SessionLookup lookup;

    public SessionClient(@RestClient UserServiceApi api) {
        this.lookup = new SessionLookup(api::me,
                "log in (session cookie or Authorization: Bearer) or sign the request with your app's key and secret");
    }

    /** The logged-in user; 401 problem when the session is missing or invalid, 503 when user-service is down. */
    public Uni<SessionUser> user(String authorization, String cookie) {
        return lookup.user(authorization, cookie);
    }
}
