package io.presence.common.internal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Adds the shared service token to a REST client's calls of another service's {@code /internal} endpoints
 * (register it with {@code @RegisterProvider}); other calls of the same client go without it.
 */
@ApplicationScoped
public class InternalAuthClientFilter implements ClientRequestFilter {

    private static final Logger LOG = Logger.getLogger(InternalAuthClientFilter.class);

    private final InternalAuthConfig config;
    private final AtomicBoolean warned = new AtomicBoolean();

    public InternalAuthClientFilter(InternalAuthConfig config) {
        this.config = config;
    }

    @Override
    public void filter(ClientRequestContext request) {
        String path = request.getUri().getPath();
        if (!path.startsWith("/internal/")) {
            return;
        }
        Optional<String> token = config.token().filter(t -> !t.isBlank());
        if (token.isPresent()) {
            request.getHeaders().putSingle(InternalAuthConfig.HEADER, token.get());
        } else if (warned.compareAndSet(false, true)) {
            LOG.warn("calling another service's /internal without a token: set internal.token (INTERNAL_TOKEN)");
        }
    }
}
