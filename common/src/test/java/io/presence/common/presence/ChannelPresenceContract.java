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
import io.presence.common.presence.PresenceStore.ChannelState;
import io.presence.common.presence.PresenceStore.Joined;
import io.presence.common.presence.PresenceStore.Outcome;
import io.presence.common.redis.ClusterSlots;
import io.presence.common.redis.TestRedis;
import io.presence.common.store.MemberState;
import io.presence.common.store.PresenceSchema;
import io.presence.common.store.Status;
import io.presence.common.store.UserStatus;
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
 * What {@link ChannelPresence} promises besides {@link PresenceStoreContract} (which it runs too), against a standalone
 * Redis and a Redis Cluster alike: first and last connections decided and announced once with consecutive numbers,
 * webhooks and watchlists told once of each transition, statuses that end up the same everywhere whatever the
 * interleaving, reaping, and the previous key layout.
 */
abstract class ChannelPresenceContract extends PresenceStoreContract {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Inbox.CEILING;

    /** The Redis under test (kept open by the subclass). */
    abstract TestRedis redis();

    private ChannelPresence presence() {
        PresenceSchema schema = redis().storeConfig().schema();
        UserPresenceStore users = redis().userStore();
        return new ChannelPresence(redis().redis(), redis().storeConfig(), redis().eventsConfig(Map.of()), io.presence.common.redis.TestRedis.RETENTION, users, redis().webhookQueue());
    }

    @Override
    PresenceStore store() {
        return presence();
    }

    @Override
    Announcements announcements(String appId, String channel) {
        TestRedis.Listener bus = redis().listen(schema().busChannel(appId, channel));
        return new Announcements() {
            @Override
            public MemberEvent next() {
                return member(bus.next());
            }

            @Override
            public void expectNothing() {
                bus.expectNothing();
            }

            @Override
            public void close() {
                bus.close();
            }
        };
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

            Optional<PresenceStore.Left> firstTab = await(presence.leave("app", channel, "gw-1", "c1", "ana"));
            assertFalse(firstTab.orElseThrow().last());
            Optional<PresenceStore.Left> lastTab = await(presence.leave("app", channel, "gw-2", "c2", null));
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

    /** A channel presence and watchlists on one user store, whose watchlist events go out through {@code events}. */
    private record Watching(EventPublisher events, UserPresenceStore users, ChannelPresence presence, Watchlists watchlists) {
    }

    private Watching watching() {
        EventPublisher events = redis().eventPublisher();
        UserPresenceStore users = redis().userStore(events);
        return new Watching(events, users, new ChannelPresence(redis().redis(), redis().storeConfig(), redis().eventsConfig(Map.of()), io.presence.common.redis.TestRedis.RETENTION,
                users, redis().webhookQueue()), new Watchlists(redis().redis(), redis().storeConfig(), users));
    }

    @Test
    void watchersAreToldOnceOfEachTransitionWhateverTheConnectionsAndAReapEndsTheWatch() throws Exception {
        EventPublisher events = redis().eventPublisher();
        UserPresenceStore users = redis().userStore(events);
        ChannelPresence presence = new ChannelPresence(redis().redis(), redis().storeConfig(), redis().eventsConfig(Map.of()), io.presence.common.redis.TestRedis.RETENTION, users,
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

            await(presence.setStatus("app", ana, new UserStatus(Status.INVISIBLE, "", 0), null));
            WatchlistEvents.Transition hidden = transition(bobChannel.next());
            assertFalse(hidden.online(), "invisible looks offline");
            await(presence.leave("app", channel, "gw-1", "a1", ana));
            await(presence.setStatus("app", ana, UserStatus.DEFAULT, null));
            WatchlistEvents.Transition visible = transition(bobChannel.next());
            assertTrue(visible.online() && visible.number() > hidden.number());
            await(presence.leave("app", channel, "gw-2", "a2", ana));
            expectNothingFrom(events, bobChannel, bobsOwn); // the sign-in still holds ana online
            await(watchlists.signOut("app", "gw-2", "a3", ana, List.of()));
            WatchlistEvents.Transition offline = transition(bobChannel.next());
            assertFalse(offline.online());
            assertTrue(offline.number() > visible.number());

            assertEquals(2, await(watchlists.reap(bobNode)));
            assertEquals(0, redis().call(Command.SCARD, schema().watchers("app", ana)).toInteger(), "the reaper ended bob's watch");
            assertEquals(0, redis().call(Command.SCARD, schema().userConnections("app", bob)).toInteger(), "and bob's connections");
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
        await(presence.setStatus("app", eve, UserStatus.DEFAULT, null));
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
        assertEquals(0, await(users.snapshot("app", user)).connections(), "the refused connection is not counted as online");
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
            assertEquals(2, await(presence.setStatus("app", user, new UserStatus(Status.BUSY, "focus", 0), null)));
            expectBusyFocus(busOne, first.seq());
            expectBusyFocus(busTwo, second.seq());
        }
        String three = "presence-" + UUID.randomUUID();
        Joined late = await(presence.join("app", three, "gw-1", "c2", user, info("U"), null, 100));
        assertEquals("busy", late.member().status().status().wire(), "a new join reads the stored status");
        assertEquals(-1, await(presence.setStatus("app", user, UserStatus.DEFAULT, 42L)), "the expiry guard did not match");
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
        await(presence.setStatus("app", user, new UserStatus(Status.AWAY, "", 0), null));
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
                racing.add(presence.setStatus("app", user, new UserStatus(cycle[(round + i) % 4], "t" + i, 0), null).map(x -> x));
                racing.add(presence.join("app", channel, "gw-1", "c" + round + "-" + i, user, info("U"), i % 2 == 0 ? first.member() : null, 100).map(x -> x));
            }
            Uni.join().all(racing).andFailFast().await().atMost(WAIT);
            UserStatus last = await(redis().userStore().status("app", user));
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
        UserPresenceStore.Snapshot ana = await(users.snapshot("app", "ana"));
        assertEquals(0, ana.connections());
        assertTrue(ana.lastSeen() > 0, "last seen recorded when the node was reaped");
        assertEquals(0, await(presence.reap(dead)), "a second reap finds nothing");
    }
    @Test
    void theSameUserIdInTwoAppsIsTwoUsers() throws Exception {
        EventPublisher events = redis().eventPublisher();
        UserPresenceStore users = redis().userStore(events);
        ChannelPresence presence = new ChannelPresence(redis().redis(), redis().storeConfig(), redis().eventsConfig(Map.of()), io.presence.common.redis.TestRedis.RETENTION, users,
                redis().webhookQueue());
        Watchlists watchlists = new Watchlists(redis().redis(), redis().storeConfig(), users);
        String user = "u-" + UUID.randomUUID();
        String channel = "presence-" + UUID.randomUUID();
        for (String key : List.of(schema().userConnections("app", user), schema().blockers("app", user), schema().watchers("app", user))) {
            assertEquals(ClusterSlots.of(schema().userState("app", user)), ClusterSlots.of(key), "one slot per user of an app: " + key);
        }

        await(presence.join("app", channel, "gw-1", "a1", user, info("A"), null, 100));
        long expiresAt = System.currentTimeMillis() + 3_600_000;
        await(presence.setStatus("app", user, new UserStatus(Status.BUSY, "secret-of-app-A", expiresAt), null));
        redis().call(Command.SADD, schema().blockers("app", user), "eve");
        await(watchlists.signIn("app", "gw-1", "w1", "watcher", List.of(user)));

        assertEquals(UserStatus.DEFAULT, await(users.status("app2", user)), "app2's user has no status of app's");
        UserPresenceStore.Snapshot other = await(users.snapshot("app2", user));
        assertEquals(0, other.connections(), "nor its connections");
        assertEquals(0, other.lastSeen());
        assertTrue(await(users.blockers("app2", user)).isEmpty(), "nor its blockers");
        assertEquals(0, redis().call(Command.SCARD, schema().watchers("app2", user)).toInteger(), "nor its watchers");
        assertTrue(redis().call(Command.ZSCORE, schema().statusExpiry(), PresenceSchema.appUser("app2", user)) == null,
                "nor its status expiry");
        assertEquals(expiresAt, redis().call(Command.ZSCORE, schema().statusExpiry(), PresenceSchema.appUser("app", user)).toLong());

        String channel2 = "presence-" + UUID.randomUUID();
        Joined joined = await(presence.join("app2", channel2, "gw-2", "b1", user, info("B"), null, 100));
        assertEquals(UserStatus.DEFAULT, joined.member().status(), "a join in app2 starts from app2's user");
        assertTrue(joined.blockers().isEmpty());
        assertEquals("busy", await(users.status("app", user)).status().wire(), "app's user keeps theirs");

        await(presence.leave("app", channel, "gw-1", "a1", user));
        assertEquals(0, await(users.snapshot("app", user)).connections(), "app's user left their last channel");
        assertTrue(await(users.snapshot("app", user)).lastSeen() > 0);
        assertEquals(1, await(users.snapshot("app2", user)).connections(), "app2's user is still in their channel");
        assertEquals(0, await(users.snapshot("app2", user)).lastSeen());
        await(presence.setStatus("app2", user, new UserStatus(Status.AWAY, "", 0), null));
        assertEquals("busy", await(users.status("app", user)).status().wire());
        assertEquals("away", await(presence.state("app2", channel2, true, null)).members().get(user).status().status().wire());
        await(presence.leave("app2", channel2, "gw-2", "b1", user));
    }

    @Test
    void thePreviousLayoutsUserKeysAreCopiedForTheBuiltInAppAndExpire() {
        LegacyUserKeys legacy = new LegacyUserKeys(redis().redis(), redis().storeConfig());
        String user = "old" + UUID.randomUUID().toString().replace("-", "");
        long expiresAt = System.currentTimeMillis() + 3_600_000;
        String state = schema().legacy().key(user, "state");
        String blockers = schema().legacy().key(user, "blockers");
        String conns = schema().legacy().key(user, "conns");
        redis().call(Command.HSET, state, "status", "invisible", "text", "gone", "expiresAt", Long.toString(expiresAt), "v", "5",
                "lastSeen", "1000");
        redis().call(Command.SADD, blockers, "eve");
        redis().call(Command.SADD, conns, PresenceSchema.nodeEntry("app", "presence-x", "c1"));
        redis().call(Command.HSET, schema().userState("app2", user), "status", "away", "v", "1"); // today's layout
        String today = schema().userState("app2", user);

        LegacyUserKeys.Moved moved = legacy.migrate("app");
        assertEquals(new LegacyUserKeys.Moved(3, 1, 1), moved);
        UserPresenceStore users = redis().userStore();
        assertEquals(new UserStatus(Status.INVISIBLE, "gone", expiresAt), await(users.status("app", user)));
        UserPresenceStore.Snapshot snapshot = await(users.snapshot("app", user));
        assertEquals(1000, snapshot.lastSeen(), "last seen copied");
        assertEquals(1, snapshot.connections(), "connections are not copied, but counted for their app while they last");
        assertEquals(0, await(users.snapshot("app2", user)).connections(), "app2's user of that id has none");
        assertEquals(java.util.Set.of("eve"), await(users.blockers("app", user)));
        assertTrue(redis().call(Command.SISMEMBER, schema().blockedUsers("app"), user).toInteger() == 1);
        assertEquals(expiresAt, redis().call(Command.ZSCORE, schema().statusExpiry(), PresenceSchema.appUser("app", user)).toLong());
        for (String old : List.of(state, blockers, conns)) {
            long ttl = redis().call(Command.PTTL, old).toLong();
            assertTrue(ttl > 0 && ttl <= LegacyUserKeys.KEEP.toMillis(), old + " expires: " + ttl);
        }
        assertEquals(-1, redis().call(Command.PTTL, today).toLong(), "today's keys are left alone");

        redis().call(Command.HSET, state, "status", "busy");
        assertEquals(new LegacyUserKeys.Moved(3, 0, 0), legacy.migrate("app"), "a second pass copies no status of the same version");
        assertEquals(Status.INVISIBLE, await(users.status("app", user)).status());
        redis().call(Command.HSET, state, "v", "6", "expiresAt", "0");
        assertEquals(new LegacyUserKeys.Moved(3, 1, 0), legacy.migrate("app"), "a newer one, set by a gateway of the previous version");
        assertEquals(new UserStatus(Status.BUSY, "gone", 0), await(users.status("app", user)));
        assertTrue(redis().call(Command.ZSCORE, schema().statusExpiry(), PresenceSchema.appUser("app", user)) == null);

        assertEquals(-1, await(users.disconnect("app", user, PresenceSchema.nodeEntry("app", "presence-x", "c1"))),
                "a connection only the previous layout knew (a reaped gateway of the previous version)");
        assertEquals(0, await(users.snapshot("app", user)).connections(), "is taken out of it");

        List.of(state, blockers, conns).forEach(old -> redis().call(Command.DEL, old)); // one slot each on a cluster
        assertEquals(new LegacyUserKeys.Moved(0, 0, 0), legacy.migrate("app"));
        assertEquals(1, redis().call(Command.EXISTS, schema().legacy().done()).toInteger(), "done once nothing is left");
    }

    @Test
    void aHidingStatusHidesTheMemberFromTheWorldAlsoWhenStoredWithoutADecision() {
        ChannelPresence presence = presence();
        String run = UUID.randomUUID().toString();
        String channel = "presence-" + run, ana = "ana-" + run, eve = "eve-" + run;
        await(presence.join("app", channel, "gw-1", "a1", ana, info("Ana"), null, 100));
        await(presence.setStatus("app", ana, new UserStatus(Status.INVISIBLE, "", System.currentTimeMillis() + 3_600_000), null));
        assertEquals(List.of(), List.copyOf(await(presence.visibleMembers("app", channel)).keySet()), "hidden from the world's view");
        JsonNode hidden = JSON.createObjectNode().put("name", "Eve").put("status", "invisible");
        await(presence.join("app", channel, "gw-1", "e1", eve, hidden, null, 100));
        assertEquals(List.of(), List.copyOf(await(presence.visibleMembers("app", channel)).keySet()));

        // as if stored before decisions were (or by a service of the previous version): the scripts answer undecided
        redis().call(Command.DEL, schema().channel("app", channel).hidden());
        redis().call(Command.HDEL, schema().userState("app", ana), "hidden");
        await(presence.setStatus("app", ana, UserStatus.DEFAULT, null));
        assertEquals(List.of(ana), List.copyOf(await(presence.visibleMembers("app", channel)).keySet()));
        await(presence.leave("app", channel, "gw-1", "e1", eve));
        await(presence.leave("app", channel, "gw-1", "a1", ana));
        awaitWebhooks(channel, List.of("member_added " + ana, "member_removed " + ana, "member_added " + ana, "member_removed " + ana));
    }

    @Test
    void watchersDoNotSeeAUserHiddenByAStatusStoredWithoutADecision() throws Exception {
        Watching w = watching();
        String run = UUID.randomUUID().toString();
        String channel = "presence-" + run, ana = "ana-" + run, bob = "bob-" + run, bobsOwn = "#server-to-user-" + bob;
        String state = schema().userState("app", ana);
        await(w.presence().join("app", channel, "gw-1", "a1", ana, info("Ana"), null, 100));
        await(w.presence().setStatus("app", ana, new UserStatus(Status.INVISIBLE, "", 0), null));
        long lastSeen = await(w.users().snapshot("app", ana)).lastSeen();
        try (TestRedis.Listener bobChannel = redis().listen(schema().busChannel("app", bobsOwn))) {
            redis().call(Command.HDEL, state, "hidden");
            assertFalse(await(w.watchlists().signIn("app", "gw-2", "b1", bob, List.of(ana))).get(0).online(), "undecided, decided hidden");
            redis().call(Command.HDEL, state, "hidden");
            await(w.presence().leave("app", channel, "gw-1", "a1", ana));
            assertEquals(lastSeen, await(w.users().snapshot("app", ana)).lastSeen(), "a hidden user was last seen when they hid");
            redis().call(Command.HDEL, state, "hidden");
            await(w.presence().join("app", channel, "gw-1", "a2", ana, info("Ana"), null, 100));
            expectNothingFrom(w.events(), bobChannel, bobsOwn);
            redis().call(Command.HDEL, state, "hidden");
            await(w.presence().setStatus("app", ana, UserStatus.DEFAULT, null));
            assertTrue(transition(bobChannel.next()).online(), "visible again: online");
            await(w.presence().leave("app", channel, "gw-1", "a2", ana));
            assertFalse(transition(bobChannel.next()).online());
            await(w.watchlists().signOut("app", "gw-2", "b1", bob, List.of(ana)));
        }
    }
}
