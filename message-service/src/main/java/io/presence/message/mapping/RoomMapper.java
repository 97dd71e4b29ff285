package io.presence.message.mapping;

import io.presence.message.model.Room;
import io.presence.message.rest.RoomSummary;

/** Turns rooms into the types that go on the wire. */
public final class RoomMapper {

    private RoomMapper() {
    }

    public static RoomSummary toSummary(Room room) {
        return new RoomSummary(room.id.toString(), room.name, room.visibility, room.topic, room.createdAt);
    }
}
