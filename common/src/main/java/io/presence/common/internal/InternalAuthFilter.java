package io.presence.common.internal;

import io.presence.common.problem.ProblemException;
import io.presence.common.problem.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every resource whose path starts with {@code /internal} answers only callers presenting the shared service token
 * ({@link InternalAuthConfig}); anyone else gets 401. Decided on the resource that matched, not on the raw path,
 * so no spelling of the path gets around it.
 */
@ApplicationScoped
public class InternalAuthFilter {

    private static final Logger LOG = Logger.getLogger(InternalAuthFilter.class);
    private static final String INTERNAL = "/internal";

    private final InternalAuthConfig config;
    private final AtomicBoolean warned = new AtomicBoolean();

    public InternalAuthFilter(InternalAuthConfig config) {
        this.config = config;
    }

    @ServerRequestFilter
    public void requireServiceToken(ContainerRequestContext request, ResourceInfo resource) {
        Class<?> type = resource.getResourceClass();
        Path path = type == null ? null : type.getAnnotation(Path.class);
        if (path == null || !(path.value().equals(INTERNAL) || path.value().startsWith(INTERNAL + "/"))) {
            return;
        }
        if (config.token().filter(t -> !t.isBlank()).isEmpty() && warned.compareAndSet(false, true)) {
            LOG.warn("refusing /internal calls: this service has no internal.token (INTERNAL_TOKEN)");
        }
        if (!config.accepts(request.getHeaderString(InternalAuthConfig.HEADER))) {
            throw new ProblemException(ProblemType.UNAUTHORIZED, "internal endpoint: the service token is missing or wrong");
        }
    }
}
