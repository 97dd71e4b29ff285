package io.presence.message.service;

import io.presence.message.config.MessageConfig;
import io.presence.message.model.Room;
import io.presence.message.repository.RoomRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Room listings. */
@ApplicationScoped
public class RoomService {

    private final RoomRepository rooms;
    private final MessageConfig config;

    public RoomService(RoomRepository rooms, MessageConfig config) {
        this.rooms = rooms;
        this.config = config;
    }

    public List<Room> joinableRooms() {
        return rooms.listPublic(config.rooms().listLimit());
    }
}
