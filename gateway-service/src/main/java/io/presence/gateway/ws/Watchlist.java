package io.presence.gateway.ws;

import io.presence.common.presence.WatchlistEvents;
import io.presence.common.presence.WatchlistEvents.Transition;
import io.presence.common.presence.Watchlists.Watched;
import io.presence.gateway.hub.Frame;
import io.presence.gateway.hub.Recipient;
import io.presence.gateway.protocol.Frames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one signed-in connection shows of its watchlist ({@code pusher_internal:watchlist_events}): each watched
 * user's newest known state (transitions and sign-in snapshots are numbered, so an older one that arrives late is
 * ignored), shown as offline while that user blocks the connection's user. The client is told the whole list once
 * the sign-in snapshot is in, then each change of what it sees, exactly once and in order: everything is sent while
 * holding this object's lock.
 */
final class Watchlist {

    private record Known(boolean online, long number) {
    }

    private final String channel;
    private final List<String> users;
    private final Recipient client;
    private final Frames frames;
    private final Map<String, Known> known = new HashMap<>();
    /** What the client was told, per user; empty until the first snapshot is sent. */
    private final Map<String, Boolean> told = new HashMap<>();
    private Set<String> hiddenBy;
    private boolean started;

    Watchlist(String channel, List<String> users, Set<String> hiddenBy, Recipient client, Frames frames) {
        this.channel = channel;
        this.users = List.copyOf(new LinkedHashSet<>(users));
        this.hiddenBy = Set.copyOf(hiddenBy);
        this.client = client;
        this.frames = frames;
    }

    /** The watched users, in the order of the signed user_data. */
    List<String> users() {
        return users;
    }

    /** The user channel the transitions arrive on. */
    String channel() {
        return channel;
    }

    /** A transition from the user channel (its frame already built): kept when newest, sent when it changes what the client sees. */
    synchronized void deliver(Transition transition, Frame frame) {
        Known before = known.get(transition.userId());
        if (!users.contains(transition.userId()) || (before != null && transition.number() <= before.number())) {
            return;
        }
        known.put(transition.userId(), new Known(transition.online(), transition.number()));
        if (started && shows(transition.userId()) != told.get(transition.userId())) {
            told.put(transition.userId(), shows(transition.userId()));
            client.send(frame);
        }
    }

    /**
     * The watched users' states as of a (re-)registration: taken where not older than what is known; the first one
     * sends the whole list, later ones (after this gateway registered again) only what changed.
     */
    synchronized void snapshot(List<Watched> states) {
        for (Watched w : states) {
            Known before = known.get(w.userId());
            if (before == null || w.number() >= before.number()) {
                known.put(w.userId(), new Known(w.online(), w.number()));
            }
        }
        if (!started) {
            started = true;
            List<String> online = new ArrayList<>();
            List<String> offline = new ArrayList<>();
            for (String user : users) {
                boolean shown = shows(user);
                told.put(user, shown);
                (shown ? online : offline).add(user);
            }
            client.send(frames.eventWithRawData(WatchlistEvents.NAME, channel, WatchlistEvents.data(online, offline)));
            return;
        }
        sendChanges();
    }

    /** The users who block the connection's user changed: those now hidden look offline, those unhidden as they are. */
    synchronized void hiddenBy(Set<String> blockers) {
        hiddenBy = Set.copyOf(blockers);
        if (started) {
            sendChanges();
        }
    }

    private void sendChanges() {
        List<String> online = new ArrayList<>();
        List<String> offline = new ArrayList<>();
        for (String user : users) {
            boolean shown = shows(user);
            if (told.get(user) != shown) {
                told.put(user, shown);
                (shown ? online : offline).add(user);
            }
        }
        if (!online.isEmpty() || !offline.isEmpty()) {
            client.send(frames.eventWithRawData(WatchlistEvents.NAME, channel, WatchlistEvents.data(online, offline)));
        }
    }

    private boolean shows(String user) {
        Known k = known.get(user);
        return k != null && k.online() && !hiddenBy.contains(user);
    }
}
