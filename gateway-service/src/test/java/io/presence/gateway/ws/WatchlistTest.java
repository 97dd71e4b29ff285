package io.presence.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.presence.common.event.ChannelEvent;
import io.presence.common.presence.WatchlistEvents;
import io.presence.common.presence.WatchlistEvents.Transition;
import io.presence.common.presence.Watchlists.Watched;
import io.presence.gateway.hub.Frame;
import io.presence.gateway.hub.Recipient;
import io.presence.gateway.protocol.Frames;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * One connection's watchlist: numbered transitions in any order, the sign-in snapshot, blocks, the visibility policy;
 * every frame counted.
 */
class WatchlistTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Frames FRAMES = new Frames(JSON);
    private static final String CHANNEL = "#server-to-user-w";

    /** What the client got: one "online:a,b|offline:c" line per frame. */
    private final List<String> got = new ArrayList<>();
    private final Recipient client = new Recipient() {
        @Override
        public String socketId() {
            return "1.1";
        }

        @Override
        public void send(Frame frame) {
            try {
                JsonNode parsed = JSON.readTree(frame.text());
                assertEquals(WatchlistEvents.NAME, parsed.get("event").asText());
                assertEquals(CHANNEL, parsed.get("channel").asText());
                List<String> parts = new ArrayList<>();
                for (JsonNode event : JSON.readTree(parsed.get("data").asText()).get("events")) {
                    List<String> ids = new ArrayList<>();
                    event.get("user_ids").forEach(id -> ids.add(id.asText()));
                    parts.add(event.get("name").asText() + ":" + String.join(",", ids));
                }
                got.add(String.join("|", parts));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    };

    private static final Set<String> ALL = Set.of("ana", "bob", "carol");

    /** Whom the visibility policy lets the watcher see (all of the list, unless a test says otherwise). */
    private final Set<String> visible = ConcurrentHashMap.newKeySet();

    {
        visible.addAll(ALL);
    }

    private Watchlist watchlist(Set<String> hiddenBy) {
        return new Watchlist(CHANNEL, List.of("ana", "bob", "carol", "ana"), hiddenBy, client, FRAMES,
                user -> Uni.createFrom().item(visible.contains(user)));
    }

    private static void deliver(Watchlist watchlist, String user, boolean online, long number) {
        ChannelEvent event = WatchlistEvents.event(new Transition(user, online, number));
        watchlist.deliver(WatchlistEvents.parse(event).orElseThrow(), new Frame(FRAMES.channelEvent(CHANNEL, event)));
    }

    @Test
    void theSnapshotComesFirstAndTransitionsBeforeItAreFoldedIn() {
        Watchlist watchlist = watchlist(Set.of());
        deliver(watchlist, "ana", true, 20); // arrived before the snapshot: held, not sent
        deliver(watchlist, "dave", true, 5); // not on the list
        watchlist.snapshot(List.of(new Watched("ana", false, 10), new Watched("bob", true, 10), new Watched("carol", false, 10)), ALL);
        assertEquals(List.of("online:ana,bob|offline:carol"), got, "one frame: the list as of the newest news");
        deliver(watchlist, "ana", true, 21); // no change
        deliver(watchlist, "bob", false, 9); // older than the snapshot
        deliver(watchlist, "carol", true, 11);
        deliver(watchlist, "carol", false, 13);
        deliver(watchlist, "carol", true, 12); // overtaken on the way: ignored
        deliver(watchlist, "carol", false, 13); // the same transition twice
        assertEquals(List.of("online:ana,bob|offline:carol", "online:carol", "offline:carol"), got);
    }

    @Test
    void usersWhoBlockTheWatcherLookOfflineUntilTheyUnblock() {
        Watchlist watchlist = watchlist(Set.of("bob"));
        watchlist.snapshot(List.of(new Watched("ana", true, 1), new Watched("bob", true, 1), new Watched("carol", false, 1)), ALL);
        deliver(watchlist, "bob", false, 2);
        deliver(watchlist, "bob", true, 3);
        watchlist.hiddenBy(Set.of("ana"));
        watchlist.hiddenBy(Set.of());
        assertEquals(List.of("online:ana|offline:bob,carol", "online:bob|offline:ana", "online:ana"), got);
    }

    @Test
    void aSecondSnapshotOnlySendsWhatChanged() {
        Watchlist watchlist = watchlist(Set.of());
        watchlist.snapshot(List.of(new Watched("ana", true, 1), new Watched("bob", true, 1), new Watched("carol", true, 1)), ALL);
        // this gateway registered again after the reaper took it: bob left meanwhile without anyone watching
        watchlist.snapshot(List.of(new Watched("ana", true, 1), new Watched("bob", false, 1), new Watched("carol", true, 7)), ALL);
        watchlist.snapshot(List.of(new Watched("ana", true, 1), new Watched("bob", false, 1), new Watched("carol", true, 7)), ALL);
        assertEquals(List.of("online:ana,bob,carol", "offline:bob"), got);
    }

    @Test
    void aUserThePolicyHidesShowsNothingUntilARelationMakesThemVisibleAndAgainOnceItEnds() {
        visible.remove("carol");
        Watchlist watchlist = watchlist(Set.of());
        watchlist.snapshot(List.of(new Watched("ana", false, 1), new Watched("bob", false, 1), new Watched("carol", true, 1)),
                Set.of("ana", "bob"));
        deliver(watchlist, "carol", false, 2);
        deliver(watchlist, "carol", true, 3);
        deliver(watchlist, "ana", true, 2); // the marker: the next frame is ana's, alone
        assertEquals(List.of("offline:ana,bob,carol", "online:ana"), got);

        visible.add("carol"); // a contact now: seen from her next transition on
        deliver(watchlist, "carol", false, 4);
        deliver(watchlist, "carol", true, 5);
        visible.remove("carol"); // the relation ended while she is online: her next transition hides her
        deliver(watchlist, "carol", true, 6);
        deliver(watchlist, "carol", false, 7);
        deliver(watchlist, "carol", true, 8);
        deliver(watchlist, "bob", true, 2); // the marker
        assertEquals(List.of("offline:ana,bob,carol", "online:ana", "online:carol", "offline:carol", "online:bob"), got);
    }
}
