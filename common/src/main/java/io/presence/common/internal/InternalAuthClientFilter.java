package io.presence.common.internal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;

/**
 * Adds the shared service token to a REST client's calls of another service's {@code /internal} endpoints
 * (register it with {@code @RegisterProvider}); other calls of the same client go without it.
 */
@ApplicationScoped
public class InternalAuthClientFilter implements ClientRequestFilter {

    private final InternalAuthConfig config;

    public InternalAuthClientFilter(InternalAuthConfig config) {
        this.config = config;
    }

    @Override
    public void filter(ClientRequestContext request) {
        String path = request.getUri().getPath();
        if (path.startsWith("/internal/")) {
            config.token().filter(t -> !t.isBlank())
                    .ifPresent(token -> request.getHeaders().putSingle(InternalAuthConfig.HEADER, token));
        }
    }
}
