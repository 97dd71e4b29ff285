package io.presence.common.presence;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.presence.common.event.ChannelEvent;
import io.presence.common.event.EventPublisher;
import io.presence.common.pusher.Channels;
import io.presence.common.store.PresenceSchema;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Watchlist transitions as events: a watched user went online or offline, told once per transition on each
 * watcher's own channel ({@code #server-to-user-<watcher>}) as {@code pusher_internal:watchlist_events}. Each
 * carries the number the deciding script gave the transition, so a gateway keeps the newest of two that reach it
 * out of order (they are published by different processes).
 */
@ApplicationScoped
public class WatchlistEvents {

    /** The event name pusher-js's watchlist listens to. */
    public static final String NAME = "pusher_internal:watchlist_events";

    private static final Logger LOG = Logger.getLogger(WatchlistEvents.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ID_PREFIX = "watchlist:";

    /** A watched user went online or offline; {@code number} only grows for the user. */
    public record Transition(String userId, boolean online, long number) {
    }

    private final EventPublisher publisher;

    public WatchlistEvents(EventPublisher publisher) {
        this.publisher = publisher;
    }

    /**
     * Tells each watcher (entries {@code app NUL watcher NUL connection} from a script; one event per app and watcher,
     * however many of their connections watch) that the user went online or offline.
     */
    public void announce(String userId, boolean online, long number, List<String> watchers) {
        Set<String> told = new LinkedHashSet<>();
        for (String entry : watchers) {
            List<String> parts = PresenceSchema.split(entry);
            if (parts.size() != 3 || !told.add(parts.get(0) + '\0' + parts.get(1))) {
                continue;
            }
            publisher.publish(parts.get(0), Channels.serverToUser(parts.get(1)), event(new Transition(userId, online, number)))
                    .subscribe().with(seq -> { }, err -> LOG.warnf("telling %s that %s is %s failed: %s", parts.get(1), userId,
                            online ? "online" : "offline", err.toString()));
        }
    }

    /**
     * The event of a transition: durable (a gateway that missed it reads it back), for every subscriber of the
     * watcher's channel (blocks are applied by the gateway, which knows who blocked the watcher); its id names the
     * transition, so publishing it twice delivers it once.
     */
    public static ChannelEvent event(Transition transition) {
        String id = ID_PREFIX + transition.number() + ":" + (transition.online() ? "1" : "0") + ":" + transition.userId();
        return new ChannelEvent(0, id, NAME, data(transition.online() ? List.of(transition.userId()) : List.of(),
                transition.online() ? List.of() : List.of(transition.userId())), null, null, null, false, Set.of(), true);
    }

    /** The transition an event describes, or empty for any other event. */
    public static Optional<Transition> parse(ChannelEvent event) {
        if (!NAME.equals(event.name()) || !event.id().startsWith(ID_PREFIX)) {
            return Optional.empty();
        }
        String[] parts = event.id().substring(ID_PREFIX.length()).split(":", 3);
        try {
            return parts.length == 3 ? Optional.of(new Transition(parts[2], parts[1].equals("1"), Long.parseLong(parts[0])))
                    : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The event's data as pusher-js reads it: {@code {"events":[{"name":"online","user_ids":[...]}, ...]}}, empty lists left out. */
    public static String data(List<String> online, List<String> offline) {
        ObjectNode data = JSON.createObjectNode();
        var events = data.putArray("events");
        if (!online.isEmpty()) {
            var ids = events.addObject().put("name", "online").putArray("user_ids");
            online.forEach(ids::add);
        }
        if (!offline.isEmpty()) {
            var ids = events.addObject().put("name", "offline").putArray("user_ids");
            offline.forEach(ids::add);
        }
        return data.toString();
    }
}
