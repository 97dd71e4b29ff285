package io.presence.message.rest;

import io.presence.message.rest.MessageViews.CursorMove;
import io.presence.message.rest.MessageViews.CursorView;
import io.presence.message.rest.MessageViews.MessageEdit;
import io.presence.message.rest.MessageViews.MessagePage;
import io.presence.message.rest.MessageViews.MessageView;
import io.presence.message.rest.MessageViews.NewMessage;
import io.presence.message.service.Caller;
import io.presence.message.service.RoomService;
import io.presence.message.service.Timeline;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Messages and read cursors of a room, for its members ({@code /api/rooms/{id}/messages}, {@code /api/rooms/{id}/cursor}). */
@Path("/api/rooms")
@Produces(MediaType.APPLICATION_JSON)
public class RoomMessageResource {

    private final RoomService rooms;
    private final MessageEndpoints messages;
    private final CallerResolver users;

    public RoomMessageResource(RoomService rooms, MessageEndpoints messages, CallerResolver users) {
        this.rooms = rooms;
        this.messages = messages;
        this.users = users;
    }

    /** Sends a message, idempotent on the caller's clientMessageId; answered only after the commit. */
    @POST
    @Path("/{roomId}/messages")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response send(@PathParam("roomId") long roomId, @Valid @NotNull NewMessage body, @Context HttpHeaders headers) {
        Caller caller = users.caller(headers);
        return messages.send(Timeline.room(roomId), caller, body, () -> rooms.memberTimeline(roomId, caller));
    }

    /** The latest messages, or those before a message id; oldest first. */
    @GET
    @Path("/{roomId}/messages")
    public MessagePage history(@PathParam("roomId") long roomId, @QueryParam("before") String before,
                               @QueryParam("limit") String limit, @Context HttpHeaders headers) {
        return messages.history(rooms.memberTimeline(roomId, users.caller(headers)), before, limit);
    }

    @PATCH
    @Path("/{roomId}/messages/{messageId}")
    @Consumes(MediaType.APPLICATION_JSON)
    public MessageView edit(@PathParam("roomId") long roomId, @PathParam("messageId") long messageId,
                            @Valid @NotNull MessageEdit body, @Context HttpHeaders headers) {
        Caller caller = users.caller(headers);
        return messages.edit(rooms.memberTimeline(roomId, caller), caller, messageId, body);
    }

    @DELETE
    @Path("/{roomId}/messages/{messageId}")
    public void delete(@PathParam("roomId") long roomId, @PathParam("messageId") long messageId, @Context HttpHeaders headers) {
        Caller caller = users.caller(headers);
        messages.delete(rooms.memberTimeline(roomId, caller), caller, messageId);
    }

    /** My read cursor and unread count in this room. */
    @GET
    @Path("/{roomId}/cursor")
    public CursorView cursor(@PathParam("roomId") long roomId, @Context HttpHeaders headers) {
        Caller caller = users.caller(headers);
        return messages.cursor(rooms.memberTimeline(roomId, caller), caller);
    }

    /** Moves my read cursor forward (never back) and tells the room ({@code read_cursor}). */
    @PUT
    @Path("/{roomId}/cursor")
    @Consumes(MediaType.APPLICATION_JSON)
    public CursorView moveCursor(@PathParam("roomId") long roomId, @Valid @NotNull CursorMove body, @Context HttpHeaders headers) {
        Caller caller = users.caller(headers);
        return messages.moveCursor(rooms.memberTimeline(roomId, caller), caller, body);
    }
}
