package io.presence.message.rest;

import io.presence.message.mapping.RoomMapper;
import io.presence.message.service.RoomService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Rooms (reached through the gateway at {@code /api/rooms/...}). */
@Path("/api/rooms")
@Produces(MediaType.APPLICATION_JSON)
public class RoomResource {

    private final RoomService rooms;

    public RoomResource(RoomService rooms) {
        this.rooms = rooms;
    }

    /** The public rooms anyone may join. */
    @GET
    public RoomList joinable() {
        return new RoomList(rooms.joinableRooms().stream().map(RoomMapper::toSummary).toList());
    }
}
