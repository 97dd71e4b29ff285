package io.presence.presence.client;

import io.presence.common.problem.ProblemException;
import io.presence.common.problem.ProblemType;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import java.time.Duration;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** Finds the user behind a session token or cookie by asking user-service, which owns sessions. */
@ApplicationScoped
public class SessionClient {

    private final UserServiceApi api;

    public SessionClient(@RestClient UserServiceApi api) {
        this.api = api;
    }

    /** The logged-in user's id; 401 problem when the session is missing or invalid, 503 when user-service is down. */
    public Uni<String> userId(String authorization, String cookie) {
        if (authorization == null && cookie == null) {
            return Uni.createFrom().failure(new ProblemException(ProblemType.UNAUTHORIZED,
                    "log in (session cookie or Authorization: Bearer) or sign the request with your app's key and secret"));
        }
        return api.me(authorization, cookie)
                .ifNoItem().after(Duration.ofSeconds(3)).failWith(() -> unavailable(null))
                .map(answer -> {
                    String id = answer == null ? "" : answer.path("user").path("id").asText("");
                    if (id.isEmpty()) {
                        throw new ProblemException(ProblemType.UNAUTHORIZED, "no valid session");
                    }
                    return id;
                })
                .onFailure(e -> !(e instanceof ProblemException)).transform(e -> {
                    if (e instanceof WebApplicationException w && w.getResponse().getStatus() == 401) {
                        return new ProblemException(ProblemType.UNAUTHORIZED, "no valid session");
                    }
                    return unavailable(e);
                });
    }

    private static ProblemException unavailable(Throwable cause) {
        return new ProblemException(ProblemType.BACKEND_UNAVAILABLE, "user-service, which checks sessions, is unavailable; retry");
    }
}
