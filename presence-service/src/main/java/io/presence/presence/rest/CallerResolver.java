package io.presence.presence.rest;

import io.presence.common.app.HttpApiAuth;
import io.presence.presence.client.SessionClient;
import io.presence.presence.service.Caller;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.UriInfo;

/**
 * Turns a request into a {@link Caller}: a request with {@code auth_signature} must be signed as the Pusher HTTP
 * API signs (a backend); any other needs a user-service session (cookie or bearer token).
 */
@ApplicationScoped
public class CallerResolver {

    private final HttpApiAuth signatures;
    private final SessionClient sessions;

    public CallerResolver(HttpApiAuth signatures, SessionClient sessions) {
        this.signatures = signatures;
        this.sessions = sessions;
    }

    public Uni<Caller> resolve(String method, UriInfo uri, HttpHeaders headers, byte[] body) {
        if (HttpApiAuth.isSigned(uri.getQueryParameters())) {
            return Uni.createFrom().item(() -> Caller.backend(
                    signatures.verifyByKey(method, uri.getRequestUri().getPath(), uri.getQueryParameters(), body)));
        }
        return sessions.user(headers.getHeaderString(HttpHeaders.AUTHORIZATION), headers.getHeaderString(HttpHeaders.COOKIE))
                .map(user -> Caller.user(user.id()));
    }
}
