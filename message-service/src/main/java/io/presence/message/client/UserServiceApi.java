package io.presence.message.client;

import io.presence.common.internal.InternalAuthClientFilter;
import io.presence.common.session.SessionLookup.SessionAnswer;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * user-service's API, as far as message-service needs it; used only through {@link UserDirectory}. Calls of
 * /internal carry the shared service token ({@link io.presence.common.internal.InternalAuthConfig}).
 */
@RegisterRestClient(configKey = "user-service")
@RegisterProvider(InternalAuthClientFilter.class)
@Produces(MediaType.APPLICATION_JSON)
interface UserServiceApi {

    /** The caller's session, from their own credentials: 200 with the account, 401 without a live session. */
    @GET
    @Path("/api/sessions/me")
    Uni<SessionAnswer> me(@HeaderParam("Authorization") String authorization, @HeaderParam("Cookie") String cookie);

    /** Contact and block state between two accounts (cacheable 5 s). */
    @GET
    @Path("/internal/relations/{a}/{b}")
    RelationAnswer relation(@PathParam("a") long a, @PathParam("b") long b);

    /** Body of {@code GET /internal/relations/{a}/{b}}. */
    record RelationAnswer(boolean contacts, boolean aBlocksB, boolean bBlocksA, boolean mayTalk) {
    }
}
