package io.presence.message.rest;

import io.presence.common.problem.ProblemException;
import io.presence.common.problem.ProblemType;
import io.presence.message.service.RoomService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

/**
 * For user-service, never routed by the gateway: is this user a member of this room? (204 yes, 404 no). Only for
 * callers with the shared service token (InternalAuthFilter of common).
 */
@Path("/internal/rooms")
public class InternalMembershipResource {

    private final RoomService rooms;

    public InternalMembershipResource(RoomService rooms) {
        this.rooms = rooms;
    }

    @GET
    @Path("/{roomId}/members/{userId}")
    public void membership(@PathParam("roomId") long roomId, @PathParam("userId") long userId) {
        if (!rooms.isMember(roomId, userId)) {
            throw new ProblemException(ProblemType.NOT_FOUND, "user " + userId + " is not a member of room " + roomId);
        }
    }
}
