package io.presence.gateway.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.presence.common.event.ChannelEvent;
import io.presence.common.event.Event;
import io.presence.common.event.MemberEvent;
import io.presence.common.presence.PresenceStore.ChannelState;
import io.presence.common.presence.PresenceDiff.Viewer;
import io.presence.common.store.MemberState;
import io.presence.common.store.Status;
import io.presence.common.store.UserStatus;
import io.presence.gateway.protocol.Frames;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The sequencing of one local channel, without Redis: the store's answers and the timers are driven by the test, and
 * every frame each subscriber receives is checked, in order.
 */
class LocalChannelTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Frames FRAMES = new Frames(JSON);
    private static final Duration GRACE = Duration.ofSeconds(5);

    /** A store whose answers the test gives, one per request, in order. */
    private static final class Store implements LocalChannel.Store {
        final Queue<CompletableFuture<ChannelState>> requests = new ArrayDeque<>();
        final List<Long> asked = new ArrayList<>();

        @Override
        public Uni<ChannelState> state(String appId, String channel, boolean withMembers, Long after) {
            CompletableFuture<ChannelState> answer = new CompletableFuture<>();
            requests.add(answer);
            asked.add(after);
            return Uni.createFrom().completionStage(answer);
        }

        void answer(ChannelState state) {
            requests.remove().complete(state);
        }
    }

    /** Timers the test fires. */
    private static final class Timers implements LocalChannel.Scheduler {
        final List<Runnable> tasks = new ArrayList<>();

        @Override
        public void schedule(Duration delay, Runnable task) {
            tasks.add(task);
        }

        void fireAll() {
            List<Runnable> due = new ArrayList<>(tasks);
            tasks.clear();
            due.forEach(Runnable::run);
        }
    }

    /** A subscriber that records the frames it gets. */
    private static final class Socket extends RecordingRecipient {

        Socket(String id) {
            super(id);
        }

        /** "event user" (or "event data") of every frame received, then forgets them. */
        List<String> take() {
            List<String> seen = new ArrayList<>();
            for (Frame frame : frames) {
                JsonNode f = read(frame.text());
                String event = f.get("event").asText();
                String raw = f.get("data").asText();
                JsonNode data = raw.startsWith("{") ? read(raw) : JSON.createObjectNode();
                if (event.equals("pusher_internal:subscription_succeeded")) {
                    seen.add("subscribed " + (data.has("presence") ? data.get("presence").get("ids").toString() : ""));
                } else if (data.has("user_id")) {
                    String status = data.path("user_info").path("status").asText("");
                    seen.add(event + " " + data.get("user_id").asText() + (status.isEmpty() ? "" : "/" + status));
                } else {
                    seen.add(event + " " + f.get("data").asText());
                }
            }
            frames.clear();
            return seen;
        }
    }

    private final Store store = new Store();
    private final List<String> cacheMisses = new ArrayList<>();
    private final Timers timers = new Timers();

    private LocalChannel channel(String name) {
        return new LocalChannel("app", name, "bus", name.startsWith("presence-"), FRAMES, store, timers, GRACE,
                new DeliveryMetrics(new SimpleMeterRegistry()), (app, channel) -> cacheMisses.add(channel));
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static MemberState member(String name, Status status) {
        return new MemberState(JSON.createObjectNode().put("name", name), new UserStatus(status, "", 0), 1);
    }

    private static MemberEvent joined(long seq, String user) {
        return new MemberEvent(seq, user, member(user, Status.ONLINE));
    }

    private static MemberEvent left(long seq, String user) {
        return new MemberEvent(seq, user, null);
    }

    private static ChannelEvent message(long seq, String text) {
        return ChannelEvent.server("message", text, null).withSeq(seq);
    }

    private static ChannelState state(long seq, Map<String, MemberState> members, List<Event> events, boolean complete) {
        return new ChannelState(seq, members, events, complete, !events.isEmpty(), null);
    }

    private static Map<String, MemberState> members(String... users) {
        Map<String, MemberState> m = new LinkedHashMap<>();
        for (String u : users) {
            m.put(u, member(u, Status.ONLINE));
        }
        return m;
    }

    /** Loads a presence channel at seq 10 with ana, and admits a subscriber as zed after its join (seq 11). */
    private Socket admittedZed(LocalChannel ch) {
        Socket zed = new Socket("1.1");
        ch.expect(zed);
        ch.load();
        store.answer(state(10, members("ana"), List.of(), true));
        ch.admit(zed, new Viewer("zed", Set.of()), 11, member("zed", Status.ONLINE), false);
        assertEquals(List.of(), zed.take(), "not before its own join is in");
        ch.onEvent(joined(11, "zed"));
        assertEquals(List.of("subscribed [\"ana\",\"zed\"]"), zed.take());
        return zed;
    }

    @Test
    void eventsAreDeliveredOnceInOrderAndDuplicatesDropped() {
        LocalChannel ch = channel("presence-a");
        Socket zed = admittedZed(ch);
        ch.onEvent(joined(12, "bob"));
        ch.onEvent(joined(12, "bob"));
        ch.onEvent(joined(11, "zed"));
        ch.onEvent(message(13, "hi"));
        ch.onEvent(left(14, "ana"));
        ch.onEvent(left(14, "ana"));
        assertEquals(List.of("pusher_internal:member_added bob/online", "message hi", "pusher_internal:member_removed ana"), zed.take());
    }

    @Test
    void aSubscriberAdmittedLaterGetsTheListAsOfThenAndOnlyLaterChanges() {
        LocalChannel ch = channel("presence-a");
        Socket zed = admittedZed(ch);
        ch.onEvent(joined(12, "bob"));
        Socket bob = new Socket("2.1");
        ch.expect(bob);
        ch.onEvent(joined(13, "cy"));
        ch.admit(bob, new Viewer("bob", Set.of()), 12, member("bob", Status.ONLINE), false);
        assertEquals(List.of("subscribed [\"ana\",\"zed\",\"bob\",\"cy\"]"), bob.take(), "cy joined before bob was admitted: in the list");
        ch.onEvent(left(14, "cy"));
        assertEquals(List.of("pusher_internal:member_removed cy"), bob.take());
        assertEquals(List.of("pusher_internal:member_added bob/online", "pusher_internal:member_added cy/online",
                "pusher_internal:member_removed cy"), zed.take());
    }

    @Test
    void aGapIsRepairedFromTheStoreAndEarlyEventsAreKept() {
        LocalChannel ch = channel("presence-a");
        Socket zed = admittedZed(ch);
        ChannelEvent typing = ChannelEvent.client("client-typing", "{}", "ana", null, "ana", false, Set.of()).withSeq(15);
        ch.onEvent(typing);
        ch.onEvent(message(17, "third"));
        assertEquals(List.of(), zed.take(), "12-14 are missing: nothing goes out of order");
        assertEquals(11L, store.asked.get(store.asked.size() - 1), "the repair asks for what came after 11");
        // 12: bob joined, 13: a message, 14: a stored message, 15: typing (not stored), 16: cy joined
        store.answer(state(16, members("ana", "zed", "bob", "cy"), List.of(message(13, "first"), message(14, "second")), true));
        ch.onEvent(message(16, "late duplicate")); // covered by the state
        assertEquals(List.of("pusher_internal:member_added bob/online", "pusher_internal:member_added cy/online",
                "message first", "message second", "client-typing {}", "message third"), zed.take());
        ch.onEvent(message(18, "live again"));
        assertEquals(List.of("message live again"), zed.take());
    }

    @Test
    void aGapLongerThanWhatIsStoredIsReported() {
        LocalChannel ch = channel("private-room");
        Socket s = new Socket("1.1");
        ch.expect(s);
        ch.load();
        store.answer(state(10, Map.of(), List.of(message(9, "old")), true));
        ch.admit(s, new Viewer(null, Set.of()), 0, null, false);
        assertEquals(List.of("subscribed "), s.take());
        ch.onEvent(message(500, "far"));
        store.answer(state(500, Map.of(), List.of(message(495, "kept"), message(500, "far")), false));
        assertEquals(List.of("message kept", "message far", "pusher:events_missed {\"after\":10,\"up_to\":500}"), s.take());
    }

    @Test
    void departuresFoundOnlyByARepairWaitForTheGraceAndComeBackSilently() {
        LocalChannel ch = channel("presence-a");
        Socket zed = admittedZed(ch);
        ch.onEvent(joined(12, "bob"));
        zed.take();
        // Redis lost everything: the counter restarts far above, members come back one by one
        ch.resync();
        store.answer(state(5_000_001, members("zed"), List.of(), true));
        assertEquals(List.of(), zed.take(), "ana and bob are only suspected gone");
        ch.onEvent(joined(5_000_002, "ana"));
        assertEquals(List.of(), zed.take(), "ana came back as she was: nothing to tell");
        timers.fireAll(); // the grace period is over: the channel checks the suspects
        store.answer(state(5_000_002, members("zed", "ana"), List.of(), true));
        assertEquals(List.of("pusher_internal:member_removed bob"), zed.take(), "bob really left");
        ch.onEvent(joined(5_000_003, "bob"));
        assertEquals(List.of("pusher_internal:member_added bob/online"), zed.take());
    }

    @Test
    void aRepairThatFindsNothingNewSendsNothing() {
        LocalChannel ch = channel("presence-a");
        Socket zed = admittedZed(ch);
        ch.resync();
        store.answer(state(11, members("ana", "zed"), List.of(), true));
        timers.fireAll();
        assertEquals(List.of(), zed.take());
        assertTrue(store.requests.isEmpty(), "no suspects, no second read");
    }

    @Test
    void anAdmissionWhoseEventWasLostTriggersARepair() {
        LocalChannel ch = channel("presence-a");
        Socket zed = new Socket("1.1");
        ch.expect(zed);
        ch.load();
        store.answer(state(10, members("ana"), List.of(), true));
        ch.admit(zed, new Viewer("zed", Set.of()), 11, member("zed", Status.ONLINE), false);
        timers.fireAll(); // zed's join (11) never arrived
        store.answer(state(11, members("ana", "zed"), List.of(), true));
        assertEquals(List.of("subscribed [\"ana\",\"zed\"]"), zed.take());
    }

    @Test
    void statusAndInvisibilityAreToldAsEachViewerMaySeeThem() {
        LocalChannel ch = channel("presence-a");
        Socket zed = admittedZed(ch);
        Socket ana = new Socket("2.1");
        ch.expect(ana);
        ch.admit(ana, new Viewer("ana", Set.of()), 11, member("ana", Status.ONLINE), false);
        ana.take();
        ch.onEvent(new MemberEvent(12, "ana", member("ana", Status.BUSY)));
        ch.onEvent(new MemberEvent(13, "ana", member("ana", Status.INVISIBLE)));
        ch.onEvent(new MemberEvent(14, "ana", member("ana", Status.INVISIBLE).withStatus(new UserStatus(Status.INVISIBLE, "", 0), 9)));
        ch.onEvent(new MemberEvent(15, "ana", member("ana", Status.AWAY)));
        ch.onEvent(left(16, "ana"));
        assertEquals(List.of("pusher:member_updated ana/busy", "pusher_internal:member_removed ana",
                "pusher_internal:member_added ana/away", "pusher_internal:member_removed ana"), zed.take());
        assertEquals(List.of("pusher:member_updated ana/busy", "pusher:member_updated ana/invisible", "pusher:member_updated ana/away",
                "pusher_internal:member_removed ana"), ana.take(), "ana sees herself throughout");
    }

    @Test
    void blockingAndUnblockingChangeWhatAViewerSees() {
        LocalChannel ch = channel("presence-a");
        Socket zed = admittedZed(ch);
        ch.viewerChanged(zed, Set.of("ana"));
        ch.onEvent(new MemberEvent(12, "ana", member("ana", Status.BUSY)));
        ch.viewerChanged(zed, Set.of());
        assertEquals(List.of("pusher_internal:member_removed ana", "pusher_internal:member_added ana/busy"), zed.take());
        ch.viewerChanged(zed, Set.of());
        assertEquals(List.of(), zed.take(), "nothing changed");
    }

    @Test
    void clientEventsObeyBlocksAndInvisibility() {
        LocalChannel ch = channel("presence-a");
        Socket zed = admittedZed(ch);
        Socket eve = new Socket("3.1");
        ch.expect(eve);
        ch.admit(eve, new Viewer("eve", Set.of()), 11, member("eve", Status.ONLINE), false);
        eve.take();
        ch.onEvent(ChannelEvent.client("client-a", "1", "ana", null, "ana", false, Set.of("eve")).withSeq(12));
        ch.onEvent(ChannelEvent.client("client-b", "2", "ana", null, "ana", true, Set.of()).withSeq(13));
        ch.onEvent(ChannelEvent.client("client-c", "3", "zed", "1.1", "zed", false, Set.of()).withSeq(14));
        assertEquals(List.of("client-a 1"), zed.take());
        assertEquals(List.of("client-c 3"), eve.take(), "eve blocked ana; ana was invisible for b; c is zed's own");
        assertFalse(ch.isLive(new Socket("9.9")));
    }
}
