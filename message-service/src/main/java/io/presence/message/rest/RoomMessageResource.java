package io.presence.message.rest;

import io.presence.message.view.MessageViews.CursorView;
import io.presence.message.view.MessageViews.NewMessage;
import io.presence.message.service.Caller;
import io.presence.message.service.RoomService;
import io.presence.message.service.Timeline;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Messages and read cursors of a room, for its members ({@code /api/rooms/{id}/messages}, {@code /api/rooms/{id}/cursor}). */
@Path("/api/rooms")
@Produces(MediaType.APPLICATION_JSON)
public class RoomMessageResource extends TimelineResource {

    private final RoomService rooms;

    public RoomMessageResource(RoomService rooms, MessageEndpoints messages, CallerResolver users) {
        super(messages, users);
        this.rooms = rooms;
    }

    @Override
    protected Timeline timeline(long roomId, Caller caller) {
        return rooms.memberTimeline(roomId, caller);
    }

    /** Sends a message, idempotent on the caller's clientMessageId; answered only after the commit. */
    @POST
    @Path("/{id}/messages")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response send(@PathParam("id") long roomId, @Valid @NotNull NewMessage body, @Context HttpHeaders headers) {
        Caller caller = users.caller(headers);
        return messages.send(Timeline.room(roomId), caller, body, () -> timeline(roomId, caller));
    }

    /** My read cursor and unread count in this room. */
    @GET
    @Path("/{id}/cursor")
    public CursorView cursor(@PathParam("id") long roomId, @Context HttpHeaders headers) {
        Caller caller = users.caller(headers);
        return messages.cursor(timeline(roomId, caller), caller);
    }
}
