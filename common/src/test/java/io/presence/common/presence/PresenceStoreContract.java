package io.presence.common.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.presence.common.event.MemberEvent;
import io.presence.common.presence.PresenceStore.Joined;
import io.presence.common.presence.PresenceStore.Left;
import io.presence.common.presence.PresenceStore.Outcome;
import io.presence.common.store.MemberState;
import io.presence.common.store.Status;
import io.presence.common.store.UserStatus;
import io.presence.common.testing.Inbox;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What every {@link PresenceStore} promises, in memory and in Redis (standalone and cluster) alike: first and last
 * connections announced once with consecutive numbers, full channels, statuses that reach every channel of their
 * user and late joiners, reaping one node only, and apps that do not share users. Webhooks, watchlists and the
 * Redis key layout are Redis features, checked by {@link ChannelPresenceContract}.
 */
abstract class PresenceStoreContract {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The member events announced on one channel from the moment it was opened, read in order. */
    interface Announcements extends AutoCloseable {

        /** The next member event announced on the channel, or an assertion error. */
        MemberEvent next();

        /** Asserts that nothing more was announced on the channel up to now. */
        void expectNothing();

        @Override
        void close();
    }

    /** The store under test. */
    abstract PresenceStore store();

    /** Starts reading what the store announces on a channel. */
    abstract Announcements announcements(String appId, String channel);

    /** Users of their own for each test: the Redis ones share their store with the other tests of their class. */
    private final String ana = "ana-" + UUID.randomUUID();
    private final String bob = "bob-" + UUID.randomUUID();

    private static JsonNode info(String name) {
        return JSON.createObjectNode().put("name", name);
    }

    private static <T> T await(Uni<T> uni) {
        return uni.await().atMost(Inbox.CEILING);
    }

    private static String channel() {
        return "presence-" + UUID.randomUUID();
    }

    private static List<String> visible(PresenceStore store, String appId, String channel) {
        return List.copyOf(await(store.visibleMembers(appId, channel)).keySet());
    }

    @Test
    void aUsersFirstAndLastConnectionsAreAnnouncedOnceWithTheChannelsNextNumbers() {
        PresenceStore store = store();
        String channel = channel();
        try (Announcements events = announcements("app", channel)) {
            Joined anaJoined = await(store.join("app", channel, "gw-1", "c1", ana, info("Ana"), null, 100));
            assertEquals(Outcome.FIRST, anaJoined.outcome());
            MemberEvent added = events.next();
            assertEquals(anaJoined.seq(), added.seq());
            assertEquals(ana, added.userId());
            assertEquals("Ana", added.state().userInfo().get("name").asText());
            assertEquals("online", added.state().userInfo().get("status").asText());

            Joined again = await(store.join("app", channel, "gw-1", "c1", ana, info("Ana"), null, 100));
            Joined tab = await(store.join("app", channel, "gw-2", "c2", ana, info("Tab"), anaJoined.member(), 100));
            assertEquals(List.of(Outcome.AGAIN, Outcome.AGAIN), List.of(again.outcome(), tab.outcome()));
            assertEquals(anaJoined.seq(), tab.seq());
            Joined bobJoined = await(store.join("app", channel, "gw-2", "c3", bob, info("Bob"), null, 100));
            assertEquals(anaJoined.seq() + 1, bobJoined.seq());
            assertEquals(bobJoined.seq(), events.next().seq());

            PresenceStore.ChannelState state = await(store.state("app", channel, true, null));
            assertEquals(bobJoined.seq(), state.seq());
            assertEquals(List.of(ana, bob), List.copyOf(state.members().keySet()));
            assertEquals("Ana", state.members().get(ana).info().get("name").asText(), "the first connection's user_info");

            assertFalse(await(store.leave("app", channel, "gw-1", "c1", ana)).orElseThrow().last());
            Left last = await(store.leave("app", channel, "gw-2", "c2", null)).orElseThrow();
            assertEquals(new Left(ana, true, bobJoined.seq() + 1), last);
            MemberEvent removed = events.next();
            assertEquals(List.of(last.seq(), ana), List.of(removed.seq(), removed.userId()));
            assertNull(removed.state());
            events.expectNothing();
            assertTrue(await(store.leave("app", channel, "gw-2", "c2", null)).isEmpty(), "already gone");
            assertEquals(List.of(bob), visible(store, "app", channel));
            assertEquals(1, await(store.memberCount("app", channel)));
        }
    }

    @Test
    void aFullChannelRefusesNewUsersButNotMoreConnectionsOfItsMembers() {
        PresenceStore store = store();
        String channel = channel();
        assertEquals(Outcome.FIRST, await(store.join("app", channel, "gw-1", "c1", ana, info("Ana"), null, 1)).outcome());
        Joined refused = await(store.join("app", channel, "gw-1", "c2", bob, info("Bob"), null, 1));
        assertEquals(Outcome.FULL, refused.outcome());
        assertNull(refused.member());
        assertEquals(Outcome.AGAIN, await(store.join("app", channel, "gw-1", "c3", ana, info("Ana"), null, 1)).outcome());
        assertEquals(List.of(ana), visible(store, "app", channel));
        assertTrue(await(store.leave("app", channel, "gw-1", "c2", bob)).isEmpty(), "the refused connection was not recorded");
        await(store.leave("app", channel, "gw-1", "c1", ana));
        await(store.leave("app", channel, "gw-1", "c3", ana));
        assertEquals(Outcome.FIRST, await(store.join("app", channel, "gw-1", "c2", bob, info("Bob"), null, 1)).outcome());
    }

    @Test
    void aStatusReachesEveryChannelOfItsUserAndLateJoinersSeeIt() {
        PresenceStore store = store();
        String user = "u-" + UUID.randomUUID();
        String one = channel();
        String two = channel();
        try (Announcements inOne = announcements("app", one); Announcements inTwo = announcements("app", two)) {
            Joined first = await(store.join("app", one, "gw-1", "c1", user, info("U"), null, 100));
            await(store.join("app", two, "gw-1", "c1", user, info("U"), first.member(), 100));
            assertEquals(first.seq(), inOne.next().seq());
            inTwo.next();
            assertEquals(2, await(store.setStatus("app", user, new UserStatus(Status.BUSY, "focus", 0), null)));
            for (Announcements events : List.of(inOne, inTwo)) {
                MemberState busy = events.next().state();
                assertEquals(List.of("busy", "focus"), List.of(busy.userInfo().get("status").asText(), busy.userInfo().get("text").asText()));
                assertTrue(busy.version() > first.member().version());
                events.expectNothing();
            }
        }
        String three = channel();
        Joined late = await(store.join("app", three, "gw-1", "c2", user, info("U"), null, 100));
        assertEquals(Status.BUSY, late.member().status().status(), "a new join reads the stored status");
        assertEquals(-1, await(store.setStatus("app", user, UserStatus.DEFAULT, 42L)), "the expiry guard did not match");
        assertEquals(3, await(store.setStatus("app", user, UserStatus.DEFAULT, 0L)), "it matches the stored expiry");
        assertEquals(Status.ONLINE, await(store.state("app", one, true, null)).members().get(user).status().status());
    }

    @Test
    void aJoinerWithAStaleStatusGetsTheCurrentOneAnnouncedByTheNumberItAnswers() {
        PresenceStore store = store();
        String user = "u-" + UUID.randomUUID();
        String channel = channel();
        Joined first = await(store.join("app", channel(), "gw-1", "c1", user, info("U"), null, 100));
        await(store.setStatus("app", user, new UserStatus(Status.AWAY, "", 0), null));
        try (Announcements events = announcements("app", channel)) {
            Joined stale = await(store.join("app", channel, "gw-1", "c2", user, info("U"), first.member(), 100));
            assertEquals(Status.AWAY, stale.member().status().status());
            MemberEvent last = events.next();
            while (last.seq() < stale.seq()) {
                last = events.next();
            }
            assertEquals(stale.seq(), last.seq());
            assertEquals(Status.AWAY, last.state().status().status());
            events.expectNothing();
        }
    }

    @Test
    void invisibleMembersAreStoredButHiddenFromTheWorld() {
        PresenceStore store = store();
        String channel = channel();
        String eve = "eve-" + UUID.randomUUID();
        JsonNode hidden = JSON.createObjectNode().put("name", "Eve").put("status", "invisible");
        Joined joined = await(store.join("app", channel, "gw-1", "e1", eve, hidden, null, 100));
        assertTrue(StatusVisibility.hides(joined.member().status()));
        await(store.join("app", channel, "gw-1", "a1", ana, info("Ana"), null, 100));
        assertEquals(List.of(eve, ana), List.copyOf(await(store.state("app", channel, true, null)).members().keySet()));
        assertEquals(List.of(ana), visible(store, "app", channel));
        assertEquals(1, await(store.memberCount("app", channel)));
        assertEquals(1, await(store.setStatus("app", eve, UserStatus.DEFAULT, null)));
        assertEquals(List.of(eve, ana), visible(store, "app", channel));
    }

    @Test
    void reapingANodeRemovesItsConnectionsOnlyAndItsConnectionsMayComeBack() {
        PresenceStore store = store();
        String channel = channel();
        String dead = "gw-dead-" + UUID.randomUUID();
        String live = "gw-live-" + UUID.randomUUID();
        try (Announcements events = announcements("app", channel)) {
            Joined anaJoined = await(store.join("app", channel, dead, "d1", ana, info("A"), null, 100));
            await(store.join("app", channel, dead, "d2", ana, info("A"), null, 100));
            await(store.join("app", channel, dead, "d3", bob, info("B"), null, 100));
            Joined bobJoined = await(store.join("app", channel, live, "l1", bob, info("B"), null, 100));
            events.next();
            events.next();
            assertEquals(1, await(store.reap(dead)));
            MemberEvent gone = events.next();
            assertEquals(List.of(bobJoined.seq() + 1, ana), List.of(gone.seq(), gone.userId()));
            events.expectNothing();
            assertEquals(List.of(bob), visible(store, "app", channel));
            assertEquals(0, await(store.reap(dead)), "a second reap finds nothing");

            Joined back = await(store.rejoin("app", channel, dead, "d1", ana, info("A"), anaJoined.member()));
            assertEquals(List.of(Outcome.FIRST, gone.seq() + 1), List.of(back.outcome(), back.seq()));
            assertEquals(back.seq(), events.next().seq());
            assertEquals(new Left(bob, true, back.seq() + 1), await(store.leave("app", channel, live, "l1", bob)).orElseThrow());
            assertEquals(1, await(store.reap(dead)));
        }
    }

    @Test
    void theSameUserIdAndChannelInTwoAppsAreTwoUsersAndTwoChannels() {
        PresenceStore store = store();
        String user = "u-" + UUID.randomUUID();
        String channel = channel();
        Joined inApp = await(store.join("app", channel, "gw-1", "a1", user, info("A"), null, 100));
        assertEquals(1, await(store.setStatus("app", user, new UserStatus(Status.BUSY, "secret-of-app", 0), null)));
        Joined inApp2 = await(store.join("app2", channel, "gw-2", "b1", user, info("B"), null, 100));
        assertEquals(UserStatus.DEFAULT, inApp2.member().status(), "a join in app2 starts from app2's user");
        assertEquals(Outcome.FIRST, inApp2.outcome());
        assertEquals(inApp.seq() + 1, await(store.state("app", channel, false, null)).seq(), "app's channel has its own numbers");
        assertEquals(inApp2.seq(), await(store.state("app2", channel, false, null)).seq());
        await(store.setStatus("app2", user, new UserStatus(Status.AWAY, "", 0), null));
        Map<String, MemberState> app = await(store.visibleMembers("app", channel));
        assertEquals(Status.BUSY, app.get(user).status().status());
        assertEquals("A", app.get(user).info().get("name").asText());
        assertEquals(Status.AWAY, await(store.visibleMembers("app2", channel)).get(user).status().status());
        assertTrue(await(store.leave("app", channel, "gw-1", "a1", user)).orElseThrow().last());
        assertEquals(List.of(user), visible(store, "app2", channel), "app2's user is still in their channel");
        await(store.leave("app2", channel, "gw-2", "b1", user));
    }
}
