package io.presence.presence.client;

import io.presence.common.session.SessionLookup.SessionAnswer;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** user-service's session lookup, as far as presence-service needs it; used only through {@link SessionClient}. */
@RegisterRestClient(configKey = "user-service")
@Path("/api/sessions")
interface UserServiceApi {

    /** {@code {"user": {"id": ..., "handle": ...}}} for a valid session; 401 otherwise. */
    @GET
    @Path("/me")
    Uni<SessionAnswer> me(@HeaderParam("Authorization") String authorization, @HeaderParam("Cookie") String cookie);
}
