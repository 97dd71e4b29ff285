package io.presence.gateway.ws;

import io.presence.common.presence.WatchlistEvents;
import io.presence.common.presence.WatchlistEvents.Transition;
import io.presence.common.presence.Watchlists.Watched;
import io.presence.gateway.hub.Frame;
import io.presence.gateway.hub.Recipient;
import io.presence.gateway.protocol.Frames;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * What one signed-in connection shows of its watchlist ({@code pusher_internal:watchlist_events}): each watched
 * user's newest known state (transitions and sign-in snapshots are numbered, so an older one that arrives late is
 * ignored), shown as offline while that user blocks the connection's user or while the presence visibility policy
 * does not let the connection's user see them (asked at sign-in for the whole list, and again for the user of each
 * transition, so a relation that began or ended counts from the next transition on; the checks complete in the
 * order the transitions arrived). The client is told the whole list once the sign-in snapshot is in, then each
 * change of what it sees, exactly once and in order: everything is sent while holding this object's lock.
 */
final class Watchlist {

    private static final Logger LOG = Logger.getLogger(Watchlist.class);

    private record Known(boolean online, long number) {
    }

    private final String channel;
    private final List<String> users;
    private final Recipient client;
    private final Frames frames;
    /** Whether the connection's user may see a watched user now ({@link io.presence.common.presence.PresenceVisibility}). */
    private final Function<String, Uni<Boolean>> visibility;
    private final Map<String, Known> known = new HashMap<>();
    /** The watched users the policy let the connection's user see, as last asked. */
    private final Set<String> allowed = new HashSet<>();
    /** The visibility checks of transitions, chained so they are applied in the order the transitions arrived. */
    private CompletableFuture<Void> checks = CompletableFuture.completedFuture(null);
    /** What the client was told, per user; empty until the first snapshot is sent. */
    private final Map<String, Boolean> told = new HashMap<>();
    private Set<String> hiddenBy;
    private boolean started;

    Watchlist(String channel, List<String> users, Set<String> hiddenBy, Recipient client, Frames frames,
              Function<String, Uni<Boolean>> visibility) {
        this.channel = channel;
        this.visibility = visibility;
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

    /**
     * A transition from the user channel (its frame already built): once the policy said whether the user may be seen
     * (a failed check keeps the last answer), kept when newest, sent when it changes what the client sees.
     */
    synchronized void deliver(Transition transition, Frame frame) {
        String user = transition.userId();
        if (!users.contains(user)) {
            return;
        }
        checks = checks.thenCompose(done -> visibility.apply(user).onFailure().recoverWithNull().subscribeAsCompletionStage())
                .thenAccept(visible -> apply(transition, frame, visible))
                .exceptionally(err -> {
                    LOG.warnf("a watchlist transition of %s was not applied: %s", user, err.toString());
                    return null;
                });
    }

    /**
     * Sends another frame of the connection after the visibility checks in flight (at once when none is), so
     * nothing published after a transition overtakes it: a marker after a watchlist event still comes after it.
     */
    synchronized void afterChecks(Runnable send) {
        if (checks.isDone()) {
            send.run();
        } else {
            checks = checks.thenRun(send);
        }
    }

    private synchronized void apply(Transition transition, Frame frame, Boolean visible) {
        String user = transition.userId();
        boolean wasAllowed = allowed.contains(user);
        if (visible != null && visible != wasAllowed) {
            if (visible) {
                allowed.add(user);
            } else {
                allowed.remove(user);
            }
        }
        Known before = known.get(user);
        boolean newest = before == null || transition.number() > before.number();
        if (newest) {
            known.put(user, new Known(transition.online(), transition.number()));
        }
        if (!started || shows(user) == told.get(user)) {
            return;
        }
        if (newest && shows(user) == transition.online()) {
            told.put(user, shows(user));
            client.send(frame);
        } else {
            sendChanges();
        }
    }

    /**
     * The watched users' states as of a (re-)registration and those the policy lets the connection's user see: taken
     * where not older than what is known; the first one sends the whole list, later ones (after this gateway
     * registered again) only what changed.
     */
    synchronized void snapshot(List<Watched> states, Set<String> visible) {
        allowed.clear();
        allowed.addAll(visible);
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
        return k != null && k.online() && allowed.contains(user) && !hiddenBy.contains(user);
    }
}
