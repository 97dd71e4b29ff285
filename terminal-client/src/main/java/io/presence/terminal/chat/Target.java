package io.presence.terminal.chat;

import io.presence.terminal.api.Wire;

/** What a chat view shows: a room ({@code #tea}) or a direct conversation ({@code @bob}), with its channel. */
record Target(Kind kind, String id, String name, String topic, String channel, String basePath) {

    enum Kind { ROOM, DIRECT }

    static Target room(Wire.Room room) {
        return new Target(Kind.ROOM, room.id(), room.name(), room.topic(), room.channel(), "/api/rooms/" + room.id());
    }

    static Target direct(Wire.User other, String channel) {
        String topic = other.displayName() == null || other.displayName().equals(other.handle()) ? null : other.displayName();
        return new Target(Kind.DIRECT, other.id(), other.handle(), topic, channel,
                "/api/conversations/" + other.id());
    }

    String label() {
        return (kind == Kind.ROOM ? "#" : "@") + name;
    }

    boolean isRoom() {
        return kind == Kind.ROOM;
    }
}
