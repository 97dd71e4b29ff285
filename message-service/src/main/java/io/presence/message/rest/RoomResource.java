package io.presence.message.rest;

import io.presence.message.mapping.RoomMapper;
import io.presence.message.model.Room;
import io.presence.message.service.RoomService;
import io.presence.message.view.RoomList;
import io.presence.message.view.RoomViews.InvitationList;
import io.presence.message.view.RoomViews.MemberList;
import io.presence.message.view.RoomViews.MyRoomList;
import io.presence.message.view.RoomViews.NewInvitation;
import io.presence.message.view.RoomViews.NewRoom;
import io.presence.message.view.RoomViews.RoomEdit;
import io.presence.message.view.RoomViews.RoomView;
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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/** Rooms and membership (reached through the gateway at {@code /api/rooms/...}); all but the public listing need a session. */
@Path("/api/rooms")
@Produces(MediaType.APPLICATION_JSON)
public class RoomResource {

    private final RoomService rooms;
    private final CallerResolver users;

    public RoomResource(RoomService rooms, CallerResolver users) {
        this.rooms = rooms;
        this.users = users;
    }

    /** The public rooms anyone may join. */
    @GET
    public RoomList joinable() {
        return new RoomList(rooms.joinableRooms().stream().map(RoomMapper::toSummary).toList());
    }

    /** Creates a room; the creator is its first member. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Valid @NotNull NewRoom body, @Context HttpHeaders headers, @Context UriInfo uri) {
        Room room = rooms.create(users.caller(headers), body.name(), body.visibility(), body.topic());
        return Response.created(uri.getBaseUriBuilder().path("api/rooms").path(room.id.toString()).build())
                .entity(RoomMapper.toView(room)).build();
    }

    /** My rooms with unread counts. */
    @GET
    @Path("/mine")
    public MyRoomList mine(@Context HttpHeaders headers) {
        return new MyRoomList(rooms.roomsOf(users.caller(headers)).stream().map(RoomMapper::toMyRoom).toList());
    }

    /** Rooms I am invited to. */
    @GET
    @Path("/invitations")
    public InvitationList invitations(@Context HttpHeaders headers) {
        return new InvitationList(rooms.invitationsOf(users.caller(headers)).stream().map(RoomMapper::toView).toList());
    }

    @GET
    @Path("/{roomId}")
    public RoomView room(@PathParam("roomId") long roomId, @Context HttpHeaders headers) {
        return RoomMapper.toView(rooms.visibleRoom(roomId, users.caller(headers)));
    }

    /** The creator renames the room or changes its topic. */
    @PATCH
    @Path("/{roomId}")
    @Consumes(MediaType.APPLICATION_JSON)
    public RoomView rename(@PathParam("roomId") long roomId, @Valid @NotNull RoomEdit body, @Context HttpHeaders headers) {
        return RoomMapper.toView(rooms.rename(roomId, users.caller(headers), body.name(), body.topic()));
    }

    /** The creator deletes the room and its messages. */
    @DELETE
    @Path("/{roomId}")
    public void delete(@PathParam("roomId") long roomId, @Context HttpHeaders headers) {
        rooms.delete(roomId, users.caller(headers));
    }

    /** Joins: public rooms are open, private ones need an invitation. Idempotent. */
    @PUT
    @Path("/{roomId}/members/me")
    public RoomView join(@PathParam("roomId") long roomId, @Context HttpHeaders headers) {
        return RoomMapper.toView(rooms.join(roomId, users.caller(headers)));
    }

    /** Leaves. Idempotent. */
    @DELETE
    @Path("/{roomId}/members/me")
    public void leave(@PathParam("roomId") long roomId, @Context HttpHeaders headers) {
        rooms.leave(roomId, users.caller(headers));
    }

    @GET
    @Path("/{roomId}/members")
    public MemberList members(@PathParam("roomId") long roomId, @Context HttpHeaders headers) {
        return new MemberList(rooms.members(roomId, users.caller(headers)).stream().map(RoomMapper::toView).toList());
    }

    /** A member invites a user (by account id). */
    @POST
    @Path("/{roomId}/invitations")
    @Consumes(MediaType.APPLICATION_JSON)
    public void invite(@PathParam("roomId") long roomId, @Valid @NotNull NewInvitation body, @Context HttpHeaders headers) {
        rooms.invite(roomId, users.caller(headers), Long.parseLong(body.userId()));
    }

    /** Declines an invitation. Idempotent. */
    @DELETE
    @Path("/{roomId}/invitations/me")
    public void decline(@PathParam("roomId") long roomId, @Context HttpHeaders headers) {
        rooms.decline(roomId, users.caller(headers));
    }
}
