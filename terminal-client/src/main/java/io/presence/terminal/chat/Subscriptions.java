package io.presence.terminal.chat;

import io.presence.terminal.api.Wire;
import io.presence.terminal.realtime.Realtime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The rooms and contacts lists, fetched again, and the channels wanted for them: every room's, every contact's direct
 * channel; what Tab offers after /join and /dm. Runs on the app thread, except the two lists read by Tab.
 */
final class Subscriptions {

    private final Rooms rooms;
    private final Contacts contacts;
    private final Realtime realtime;
    private final OpenView view;
    private final Out out;
    private final String myId;
    private volatile List<String> roomNames = List.of();
    private volatile List<String> handles = List.of();

    Subscriptions(Rooms rooms, Contacts contacts, Realtime realtime, OpenView view, Out out, String myId) {
        this.rooms = rooms;
        this.contacts = contacts;
        this.realtime = realtime;
        this.view = view;
        this.out = out;
        this.myId = myId;
    }

    /** Fetches both lists, announces new invitations and requests, and wants their channels. */
    void refreshLists() {
        rooms.refresh().forEach(r -> out.notice("You are invited to #" + r.name() + ": /join " + r.name()));
        contacts.refresh().forEach(out::notice);
        for (Wire.MyRoom room : rooms.mine()) {
            realtime.want(room.room().channel());
        }
        wantDirectChannels();
        updateCompletions();
    }

    /** Every contact's direct channel, for live messages and activity; channels of former contacts are dropped. */
    void wantDirectChannels() {
        Set<String> wanted = new HashSet<>();
        for (Wire.User contact : contacts.all()) {
            wanted.add(Contacts.directChannel(myId, contact.id()));
        }
        wanted.forEach(realtime::want);
        Set<String> rooms = new HashSet<>();
        this.rooms.mine().forEach(r -> rooms.add(r.room().channel()));
        for (String channel : realtime.wanted()) {
            boolean stale = channel.startsWith("private-dm-") ? !wanted.contains(channel)
                    : channel.startsWith("presence-room-") && !rooms.contains(channel);
            if (stale && !view.shows(channel)) {
                realtime.drop(channel);
            }
        }
        updateCompletions();
    }

    void updateCompletions() {
        roomNames = rooms.names();
        handles = contacts.handles();
    }

    /** The room names Tab offers; read on the input thread. */
    List<String> roomNames() {
        return roomNames;
    }

    /** The contacts' handles Tab offers; read on the input thread. */
    List<String> handles() {
        return handles;
    }
}
