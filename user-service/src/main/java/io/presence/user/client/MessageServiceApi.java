package io.presence.user.client;

import io.presence.common.internal.InternalAuthClientFilter;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * message-service's internal API, as far as user-service needs it; used only through {@link RoomMembershipClient}.
 * Calls carry the shared service token ({@link io.presence.common.internal.InternalAuthConfig}).
 */
@RegisterRestClient(configKey = "message-service")
@RegisterProvider(InternalAuthClientFilter.class)
@Path("/internal/rooms")
interface MessageServiceApi {

    /** 204 when the user is a member of the room, 404 when not (or when there is no such room). */
    @GET
    @Path("/{roomId}/members/{userId}")
    void membership(@PathParam("roomId") long roomId, @PathParam("userId") long userId);
}
