package io.presence.gateway.console;

import io.presence.common.problem.ProblemException;
import io.presence.common.problem.ProblemType;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;

/** Lets a request to an {@link OperatorOnly} resource through with a session cookie or the password as bearer token. */
@Provider
@OperatorOnly
public class OperatorFilter implements ContainerRequestFilter {

    private final OperatorAuth auth;

    /** Only the (lazily created) auth bean is injected: filters are built before runtime configuration exists. */
    public OperatorFilter(OperatorAuth auth) {
        this.auth = auth;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        auth.requireEnabled();
        Cookie session = request.getCookies().get(OperatorAuth.COOKIE);
        if (session != null && auth.validSession(session.getValue())) {
            return;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header != null && header.startsWith("Bearer ") && auth.validBearer(header.substring("Bearer ".length()))) {
            return;
        }
        throw new ProblemException(ProblemType.UNAUTHORIZED, "log in as operator first (POST /console/api/session)");
    }
}
