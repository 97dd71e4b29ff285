package io.presence.common.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.presence.common.event.ChannelEvent;
import io.presence.common.event.Event;
import io.presence.common.event.EventCodec;
import io.presence.common.event.EventPublisher;
import io.presence.common.event.MemberEvent;
import io.presence.common.presence.ChannelPresence.ChannelState;
import io.presence.common.presence.ChannelPresence.Joined;
import io.presence.common.presence.ChannelPresence.Outcome;
import io.presence.common.redis.TestRedis;
import io.presence.common.testing.Bus;
import io.presence.common.testing.Inbox;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What {@link ChannelPresence} promises, run against a standalone Redis and a Redis Cluster alike: first and last
 * connections decided and announced once with consecutive numbers, statuses that end up the same everywhere
 * whatever the interleaving, and reaping.
 */
abstract class ChannelPresenceContract {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Inbox.CEILING;

    /** The Redis under test (kept open by the subclass). */
    abstract TestRedis redis();

    private ChannelPresence presence() {
        PresenceSchema schema = redis().storeConfig().schema();
        UserPresenceStore users = redis().userStore();
        return new ChannelPresence(redis().redis(), redis().storeConfig(), redis().eventsConfig(Map.of()), users, redis().webhookQueue());
    }

    private PresenceSchema schema() {
        return redis().storeConfig().schema();
    }

    private static JsonNode info(String name) {
        return JSON.createObjectNode().put("name", name);
    }

    private static <T> T await(Uni<T> uni) {
        return uni.await().atMost(WAIT);
    }

    private static MemberEvent member(String payload) {
        Event event = EventCodec.decode(payload);
        assertTrue(event instanceof MemberEvent, payload);
        return (MemberEvent) event;
    }

    @Test
    void joinsAndLeavesArePerUserAndNumberedConsecutively() throws Exception {
        ChannelPresence presence = presence();
        String channel = "presence-" + UUID.randomUUID();
        try (TestRedis.Listener bus = redis().listen(schema().busChannel("app", channel))) {
            Joined ana = await(presence.join("app", channel, "gw-1", "c1", "ana", info("Ana"), null, 100));
            assertEquals(Outcome.FIRST, ana.outcome());
            MemberEvent added = member(bus.next());
            assertEquals(ana.seq(), added.seq());
            assertEquals("Ana", added.state().userInfo().get("name").asText());
            assertEquals("online", added.state().userInfo().get("status").asText(), "the stored status is part of user_info");

            Joined tab = await(presence.join("app", channel, "gw-2", "c2", "ana", info("Tab"), ana.member(), 100));
            assertEquals(Outcome.AGAIN, tab.outcome());
            assertEquals(ana.seq(), tab.seq());
            Joined bob = await(presence.join("app", channel, "gw-2", "c3", "bob", info("Bob"), null, 100));
            assertEquals(ana.seq() + 1, bob.seq());
            assertEquals("bob", member(bus.next()).userId());

            ChannelState state = await(presence.state("app", channel, true, null));
            assertEquals(bob.seq(), state.seq());
            assertEquals(List.of("ana", "bob"), new ArrayList<>(state.members().keySet()));
            assertEquals("Ana", state.members().get("ana").info().get("name").asText(), "the first connection's user_info");

            Optional<ChannelPresence.Left> firstTab = await(presence.leave("app", channel, "gw-1", "c1", "ana"));
            assertFalse(firstTab.orElseThrow().last());
            Optional<ChannelPresence.Left> lastTab = await(presence.leave("app", channel, "gw-2", "c2", null));
            assertTrue(lastTab.orElseThrow().last());
            assertEquals(bob.seq() + 1, lastTab.get().seq());
            MemberEvent removed = member(bus.next());
            assertEquals("ana", removed.userId());
            assertNull(removed.state());
            bus.expectNothing(); // the presence scripts publish in the step that decides: before the call answers
            assertTrue(await(presence.leave("app", channel, "gw-2", "c2", null)).isEmpty(), "already gone");
            assertEquals(List.of("bob"), new ArrayList<>(await(presence.visibleMembers("app", channel)).keySet()));
            awaitWebhooks(channel, List.of("member_added ana", "member_added bob", "member_removed ana"));
        }
    }

    @Test
    void watchersAreToldOnceOfEachTransitionWhateverTheConnectionsAndAReapEndsTheWatch() throws Exception {
        EventPublisher events = redis().eventPublisher();
        UserPresenceStore users = redis().userStore(events);
        ChannelPresence presence = new ChannelPresence(redis().redis(), redis().storeConfig(), redis().eventsConfig(Map.of()), users,
                redis().webhookQueue());
        Watchlists watchlists = new Watchlists(redis().redis(), redis().storeConfig(), users);
        String ana = "ana-" + UUID.randomUUID();
        String bob = "bob-" + UUID.randomUUID();
        String channel = "presence-" + UUID.randomUUID();
        String bobNode = "gw-bob-" + UUID.randomUUID();
        String bobsOwn = "#server-to-user-" + bob;
        try (TestRedis.Listener bobChannel = redis().listen(schema().busChannel("app", bobsOwn))) {
            List<Watchlists.Watched> start = await(watchlists.signIn("app", bobNode, "b1", bob, List.of(ana)));
            assertEquals(1, start.size());
            assertFalse(start.get(0).online());
            await(watchlists.signIn("app", bobNode, "b2", bob, List.of(ana))); // a second tab of bob

            await(presence.join("app", channel, "gw-1", "a1", ana, info("Ana"), null, 100));
            await(presence.join("app", channel, "gw-2", "a2", ana, info("Ana"), null, 100));
            await(watchlists.signIn("app", "gw-2", "a3", ana, List.of()));
            WatchlistEvents.Transition online = transition(bobChannel.next());
            assertTrue(online.online());
            assertTrue(online.number() > start.get(0).number());
            expectNothingFrom(events, bobChannel, bobsOwn); // one event for both of bob's tabs and all three of ana's connections

            await(presence.setStatus(ana, new UserStatus(Status.INVISIBLE, "", 0), null));
            WatchlistEvents.Transition hidden = transition(bobChannel.next());
            assertFalse(hidden.online(), "invisible looks offline");
            await(presence.leave("app", channel, "gw-1", "a1", ana));
            await(presence.setStatus(ana, UserStatus.DEFAULT, null));
            WatchlistEvents.Transition visible = transition(bobChannel.next());
            assertTrue(visible.online() && visible.number() > hidden.number());
            await(presence.leave("app", channel, "gw-2", "a2", ana));
            expectNothingFrom(events, bobChannel, bobsOwn); // the sign-in still holds ana online
            await(watchlists.signOut("app", "gw-2", "a3", ana, List.of()));
            WatchlistEvents.Transition offline = transition(bobChannel.next());
            assertFalse(offline.online());
            assertTrue(offline.number() > visible.number());

            assertEquals(2, await(watchlists.reap(bobNode)));
            assertEquals(0, redis().call(Command.SCARD, schema().watchers(ana)).toInteger(), "the reaper ended bob's watch");
            assertEquals(0, redis().call(Command.SCARD, schema().userConnections(bob)).toInteger(), "and bob's connections");
            await(presence.join("app", channel, "gw-1", "a4", ana, info("Ana"), null, 100));
            expectNothingFrom(events, bobChannel, bobsOwn);
            await(presence.leave("app", channel, "gw-1", "a4", ana));
        }
    }

    /**
     * Nothing more on a channel whose events {@code events} publishes (watchlist transitions): it reserves them before
     * the call that decided them answers, so a marker it publishes now comes after every one of them.
     */
    private static void expectNothingFrom(EventPublisher events, TestRedis.Listener bus, String channel) {
        String marker = Inbox.newMarker();
        Bus.publishMarker(events, "app", channel, marker);
        assertEquals(List.of(), bus.nextUntil(marker));
    }

    private static WatchlistEvents.Transition transition(String payload) throws Exception {
        Event event = EventCodec.decode(payload);
        assertTrue(event instanceof ChannelEvent, payload);
        ChannelEvent channelEvent = (ChannelEvent) event;
        WatchlistEvents.Transition transition = WatchlistEvents.parse(channelEvent).orElseThrow();
        String state = transition.online() ? "online" : "offline";
        assertEquals(JSON.readTree("{\"events\":[{\"name\":\"" + state + "\",\"user_ids\":[\"" + transition.userId() + "\"]}]}"),
                JSON.readTree(channelEvent.data()));
        return transition;
    }

    /** The webhooks queued about a channel are exactly these, in order (they are queued right after each change). */
    private void awaitWebhooks(String channel, List<String> expected) {
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> redis().webhooksOf(channel).size() >= expected.size());
        assertEquals(expected, redis().webhooksOf(channel));
    }

    @Test
    void theWorldIsToldOfMembersItSeesOnceAndOfReRegistrationsOnlyAfterAReap() {
        ChannelPresence presence = presence();
        String channel = "presence-" + UUID.randomUUID();
        String eve = "eve-" + UUID.randomUUID();
        String ana = "ana-" + UUID.randomUUID();
        String node = "gw-stalled-" + UUID.randomUUID();
        JsonNode hidden = JSON.createObjectNode().put("name", "Eve").put("status", "invisible");
        await(presence.join("app", channel, "gw-1", "e1", eve, hidden, null, 100));
        await(presence.setStatus(eve, UserStatus.DEFAULT, null));
        Joined joined = await(presence.join("app", channel, node, "a1", ana, info("Ana"), null, 100));
        await(presence.reap(node));
        await(presence.rejoin("app", channel, node, "a1", ana, info("Ana"), joined.member()));
        awaitWebhooks(channel, List.of("member_added " + eve, "member_added " + ana, "member_removed " + ana, "member_added " + ana));
        await(presence.leave("app", channel, node, "a1", ana));
        await(presence.leave("app", channel, "gw-1", "e1", eve));
    }

    @Test
    void aFullChannelRefusesNewUsersAndKeepsNoTrace() {
        ChannelPresence presence = presence();
        String channel = "presence-" + UUID.randomUUID();
        String user = "u-" + UUID.randomUUID();
        await(presence.join("app", channel, "gw-1", "c1", "ana", info("Ana"), null, 1));
        Joined refused = await(presence.join("app", channel, "gw-1", "c2", user, info("X"), null, 1));
        assertEquals(Outcome.FULL, refused.outcome());
        UserPresenceStore users = redis().userStore();
        assertEquals(0, await(users.snapshot(user)).connections(), "the refused connection is not counted as online");
    }

    @Test
    void statusChangesReachEveryChannelOfTheUserAndLateJoinersSeeThem() throws Exception {
        ChannelPresence presence = presence();
        String user = "u-" + UUID.randomUUID();
        String one = "presence-" + UUID.randomUUID();
        String two = "presence-" + UUID.randomUUID();
        Joined first = await(presence.join("app", one, "gw-1", "c1", user, info("U"), null, 100));
        Joined second = await(presence.join("app", two, "gw-1", "c1", user, info("U"), first.member(), 100));
        try (TestRedis.Listener busOne = redis().listen(schema().busChannel("app", one));
             TestRedis.Listener busTwo = redis().listen(schema().busChannel("app", two))) {
            assertEquals(2, await(presence.setStatus(user, new UserStatus(Status.BUSY, "focus", 0), null)));
            expectBusyFocus(busOne, first.seq());
            expectBusyFocus(busTwo, second.seq());
        }
        String three = "presence-" + UUID.randomUUID();
        Joined late = await(presence.join("app", three, "gw-1", "c2", user, info("U"), null, 100));
        assertEquals("busy", late.member().status().status().wire(), "a new join reads the stored status");
        assertEquals(-1, await(presence.setStatus(user, UserStatus.DEFAULT, 42L)), "the expiry guard did not match");
    }

    /**
     * The next member event numbered after {@code afterSeq}: on a cluster, an earlier event published on another node
     * may reach the listener's node after it subscribed.
     */
    private static MemberEvent nextAfter(TestRedis.Listener bus, long afterSeq) {
        MemberEvent event = member(bus.next());
        while (event.seq() <= afterSeq) {
            event = member(bus.next());
        }
        return event;
    }

    /** The next member event after {@code afterSeq} is the status change to busy "focus", and nothing follows it. */
    private static void expectBusyFocus(TestRedis.Listener bus, long afterSeq) {
        MemberEvent event = nextAfter(bus, afterSeq);
        assertEquals("busy", event.state().userInfo().get("status").asText());
        assertEquals("focus", event.state().userInfo().get("text").asText());
        bus.expectNothing();
    }

    @Test
    void aJoinWithAStaleStatusIsCorrectedBeforeItAnswers() throws Exception {
        ChannelPresence presence = presence();
        String user = "u-" + UUID.randomUUID();
        String channel = "presence-" + UUID.randomUUID();
        Joined first = await(presence.join("app", "presence-" + UUID.randomUUID(), "gw-1", "c1", user, info("U"), null, 100));
        await(presence.setStatus(user, new UserStatus(Status.AWAY, "", 0), null));
        try (TestRedis.Listener bus = redis().listen(schema().busChannel("app", channel))) {
            // the caller still believes the status it saw at its first join
            Joined stale = await(presence.join("app", channel, "gw-1", "c1b", user, info("U"), first.member(), 100));
            assertEquals("away", stale.member().status().status().wire());
            MemberEvent added = member(bus.next());
            MemberEvent corrected = member(bus.next());
            assertEquals("online", added.state().status().status().wire());
            assertEquals("away", corrected.state().status().status().wire());
            assertEquals(corrected.seq(), stale.seq(), "the joiner waits for the correction too");
        }
    }

    @Test
    void concurrentStatusChangesAndJoinsEndWithTheLastStatusEverywhere() {
        ChannelPresence presence = presence();
        Status[] cycle = {Status.AWAY, Status.BUSY, Status.ONLINE, Status.INVISIBLE};
        for (int round = 0; round < 20; round++) {
            String user = "u-" + UUID.randomUUID();
            String channel = "presence-" + UUID.randomUUID();
            Joined first = await(presence.join("app", "presence-home-" + round, "gw-1", "h" + round, user, info("U"), null, 100));
            List<Uni<Object>> racing = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                racing.add(presence.setStatus(user, new UserStatus(cycle[(round + i) % 4], "t" + i, 0), null).map(x -> x));
                racing.add(presence.join("app", channel, "gw-1", "c" + round + "-" + i, user, info("U"), i % 2 == 0 ? first.member() : null, 100).map(x -> x));
            }
            Uni.join().all(racing).andFailFast().await().atMost(WAIT);
            UserStatus last = await(redis().userStore().status(user));
            MemberState stored = await(presence.state("app", channel, true, null)).members().get(user);
            assertEquals(last, stored.status(), "round " + round);
        }
    }

    @Test
    void reapingANodeRemovesItsConnectionsOnly() throws Exception {
        ChannelPresence presence = presence();
        String channel = "presence-" + UUID.randomUUID();
        String dead = "gw-dead-" + UUID.randomUUID();
        String live = "gw-live-" + UUID.randomUUID();
        await(presence.join("app", channel, dead, "d1", "ana", info("A"), null, 100));
        await(presence.join("app", channel, dead, "d2", "ana", info("A"), null, 100));
        await(presence.join("app", channel, dead, "d3", "bob", info("B"), null, 100));
        long joined = await(presence.join("app", channel, live, "l1", "bob", info("B"), null, 100)).seq();
        try (TestRedis.Listener bus = redis().listen(schema().busChannel("app", channel))) {
            assertEquals(1, await(presence.reap(dead)));
            assertEquals("ana", nextAfter(bus, joined).userId());
            bus.expectNothing();
        }
        assertEquals(List.of("bob"), new ArrayList<>(await(presence.visibleMembers("app", channel)).keySet()));
        UserPresenceStore users = redis().userStore();
        UserPresenceStore.Snapshot ana = await(users.snapshot("ana"));
        assertEquals(0, ana.connections());
        assertTrue(ana.lastSeen() > 0, "last seen recorded when the node was reaped");
        assertEquals(0, await(presence.reap(dead)), "a second reap finds nothing");
    }
}
