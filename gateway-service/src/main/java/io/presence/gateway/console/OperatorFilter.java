package io.presence.gateway.console;

import io.presence.common.http.ClientAddress;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

/**
 * Lets a request to an {@link OperatorOnly} resource through with a live session cookie or the password as bearer
 * token ({@link OperatorAuth#operator}); the request waits (suspended, off the event loop's back) for Redis' answer.
 */
@Provider
@OperatorOnly
public class OperatorFilter implements ContainerRequestFilter {

    private final OperatorAuth auth;
    /** The request being filtered (a request-scoped proxy): whose client address the throttle counts. */
    private final HttpServerRequest http;

    /** Only lazily created beans are injected: filters are built before runtime configuration exists. */
    public OperatorFilter(OperatorAuth auth, HttpServerRequest http) {
        this.auth = auth;
        this.http = http;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        auth.requireEnabled();
        ResteasyReactiveContainerRequestContext context = (ResteasyReactiveContainerRequestContext) request;
        Cookie session = request.getCookies().get(OperatorAuth.COOKIE);
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        String bearer = header != null && header.startsWith("Bearer ") ? header.substring("Bearer ".length()) : null;
        String address = ClientAddress.of(http);
        context.suspend();
        auth.operator(session == null ? null : session.getValue(), bearer, address)
                .subscribe().with(operator -> context.resume(), context::resume);
    }
}
