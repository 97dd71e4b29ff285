package io.presence.terminal.chat;

import io.presence.terminal.api.SuiteApi;
import io.presence.terminal.api.Wire;
import io.presence.terminal.ui.Line;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The room lists (mine with unread counts, invitations, public rooms to join) and what is done with them: the
 * numbered listing of {@code /rooms}, finding a room by number or name, joining, creating, leaving.
 */
final class Rooms {

    private final SuiteApi api;
    private final Out out;
    private List<Wire.MyRoom> mine = List.of();
    private List<Wire.Invitation> invitations = List.of();
    private List<Wire.Room> open = List.of();
    private final List<Wire.Room> numbered = new ArrayList<>();

    Rooms(SuiteApi api, Out out) {
        this.api = api;
        this.out = out;
    }

    /** Reloads the lists; returns the rooms I was newly invited to since the last time. */
    List<Wire.Room> refresh() {
        Set<String> known = invitations.stream().map(i -> i.room().id()).collect(Collectors.toSet());
        mine = api.get("/api/rooms/mine", Wire.MyRoomList.class).rooms();
        invitations = api.get("/api/rooms/invitations", Wire.InvitationList.class).invitations();
        open = api.get("/api/rooms", Wire.RoomList.class).rooms();
        return invitations.stream().map(Wire.Invitation::room).filter(r -> !known.contains(r.id())).toList();
    }

    List<Wire.MyRoom> mine() {
        return mine;
    }

    /** Room names for Tab. */
    List<String> names() {
        List<String> names = new ArrayList<>();
        mine.forEach(r -> names.add(r.room().name()));
        invitations.forEach(i -> names.add(i.room().name()));
        open.forEach(r -> names.add(r.name()));
        return names.stream().distinct().toList();
    }

    /** {@code #tea} for a room channel of mine, or null. */
    String labelOf(String channel) {
        return mine.stream().map(Wire.MyRoom::room).filter(r -> channel.equals(r.channel())).findFirst()
                .map(r -> "#" + r.name()).orElse(null);
    }

    /** {@code /rooms}: everything I can enter, numbered for {@code /join N}. */
    void list() {
        refresh();
        numbered.clear();
        out.section("Rooms");
        out.hint(mine.isEmpty() ? "You are in no room yet." : "Your rooms:");
        for (Wire.MyRoom room : mine) {
            String unread = room.unread() == 0 ? "" : room.unread() >= 1000 ? "999+ unread" : room.unread() + " unread";
            entry(room.room(), unread.isEmpty() ? null : unread, room.room().topic());
        }
        if (!invitations.isEmpty()) {
            out.hint("Invitations:");
            invitations.forEach(i -> entry(i.room(), "invitation", i.room().topic()));
        }
        Set<String> mineIds = mine.stream().map(r -> r.room().id()).collect(Collectors.toSet());
        List<Wire.Room> joinable = open.stream().filter(r -> !mineIds.contains(r.id())).toList();
        if (!joinable.isEmpty()) {
            out.hint("Public rooms to join:");
            joinable.forEach(r -> entry(r, null, r.topic()));
        }
        out.hint("Enter one by its number or name (or /join NAME); a new room: /create [private] NAME");
    }

    private void entry(Wire.Room room, String note, String topic) {
        numbered.add(room);
        Line line = new Line().add(String.format("%3d  ", numbered.size())).add("#" + room.name(), out.theme().bold());
        line.padTo(28);
        if (note != null) {
            line.add(" " + note, out.theme().notice());
        }
        if (topic != null && !topic.isBlank()) {
            line.add("  " + topic, out.theme().dim());
        }
        out.line(line);
    }

    /** The room a number of the last listing or a name means, joined when it is public or I am invited. */
    Optional<Wire.Room> enter(String nameOrNumber) {
        String wanted = nameOrNumber.strip();
        if (wanted.startsWith("#")) {
            wanted = wanted.substring(1);
        }
        if (wanted.matches("\\d{1,4}") && Integer.parseInt(wanted) >= 1 && Integer.parseInt(wanted) <= numbered.size()) {
            return Optional.of(joinIfNeeded(numbered.get(Integer.parseInt(wanted) - 1)));
        }
        Optional<Wire.Room> found = find(wanted);
        if (found.isEmpty()) {
            refresh();
            found = find(wanted);
        }
        if (found.isEmpty()) {
            out.error("No room called " + wanted + " that you can enter. /rooms lists them; /create " + wanted
                    + " makes it.");
        }
        return found.map(this::joinIfNeeded);
    }

    private Optional<Wire.Room> find(String name) {
        for (Wire.MyRoom room : mine) {
            if (room.room().name().equalsIgnoreCase(name)) {
                return Optional.of(room.room());
            }
        }
        for (Wire.Invitation invitation : invitations) {
            if (invitation.room().name().equalsIgnoreCase(name)) {
                return Optional.of(invitation.room());
            }
        }
        return open.stream().filter(r -> r.name().equalsIgnoreCase(name)).findFirst();
    }

    private Wire.Room joinIfNeeded(Wire.Room room) {
        if (mine.stream().anyMatch(r -> r.room().id().equals(room.id()))) {
            return room;
        }
        Wire.Room joined = api.put("/api/rooms/" + room.id() + "/members/me", null, Wire.Room.class);
        out.info("You joined #" + joined.name() + ".");
        refresh();
        return joined;
    }

    /** {@code /create [private] NAME}. */
    Optional<Wire.Room> create(String args) {
        String name = args.strip();
        String visibility = "public";
        if (name.toLowerCase().startsWith("private ")) {
            visibility = "private";
            name = name.substring("private ".length()).strip();
        } else if (name.toLowerCase().startsWith("public ")) {
            name = name.substring("public ".length()).strip();
        }
        if (name.startsWith("#")) {
            name = name.substring(1);
        }
        if (name.isEmpty()) {
            out.error("Usage: /create NAME, or /create private NAME");
            return Optional.empty();
        }
        Wire.Room room = api.post("/api/rooms", Map.of("name", name, "visibility", visibility), Wire.Room.class);
        out.info("Created " + visibility + " room #" + room.name() + ".");
        refresh();
        return Optional.of(room);
    }

    void leave(Target room) {
        try {
            api.delete(room.basePath() + "/members/me");
        } finally {
            refresh();
        }
        out.info("You left " + room.label() + ".");
    }
}
