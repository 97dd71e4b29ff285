package io.presence.common.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.presence.common.event.EventCodec;
import io.presence.common.presence.StatusVisibility;
import io.presence.common.store.MemberState;
import io.presence.common.store.PresenceSchema.ChannelKeys;
import io.presence.common.store.PresenceSchema;
import io.presence.common.store.Status;
import io.presence.common.store.UserStatus;
import io.presence.common.testing.Inbox;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each Lua script run directly against the test Redis: what it stores, answers and publishes. */
class LuaScriptsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TTL = "60000";
    /** How long the scripts remember a departure for webhook pairs (ms). */
    private static final String DEPARTURE_MEMORY = "10000";
    private static TestRedis redis;
    private PresenceSchema schema;
    private ChannelKeys ch;

    @BeforeAll
    static void connect() {
        redis = TestRedis.standalone();
    }

    @AfterAll
    static void disconnect() {
        redis.close();
    }

    @BeforeEach
    void freshChannel() {
        schema = new PresenceSchema(redis.prefix());
        ch = schema.channel("app", "presence-" + UUID.randomUUID());
    }

    private Response run(String script, List<String> keys, String... args) {
        return RedisScript.load(script).run(redis.redis(), keys, List.of(args)).await().atMost(Inbox.CEILING);
    }

    private Response join(String connection, String user, String info, String status, int cap) {
        return join(connection, user, info, status, cap, "0");
    }

    private Response join(String connection, String user, String info, String status, int cap, String restore) {
        return run("join.lua", List.of(ch.conns(), ch.users(), ch.info(), ch.status(), ch.pending(), ch.seq(), ch.departed(),
                        ch.departures(), ch.hidden()),
                connection, user, info, status, Integer.toString(cap), ch.bus(), TTL, restore, DEPARTURE_MEMORY, decision(status), "");
    }

    private Response leave(String connection) {
        return leave(connection, "0");
    }

    private Response leave(String connection, String reaped) {
        return run("leave.lua", List.of(ch.conns(), ch.users(), ch.info(), ch.status(), ch.seq(), ch.departed(), ch.departures(),
                        ch.hidden()),
                connection, ch.bus(), TTL, reaped, DEPARTURE_MEMORY, "");
    }

    private Response memberStatus(String user, String status) {
        return run("member_status.lua", List.of(ch.users(), ch.info(), ch.status(), ch.pending(), ch.seq(), ch.departures(), ch.hidden()),
                user, status, ch.bus(), TTL, "60000", DEPARTURE_MEMORY, decision(status), "");
    }

    /** Java's decision for a channel status, as the callers pass it. */
    private static String decision(String statusJson) {
        MemberState member = EventCodec.memberState("{}", statusJson);
        return StatusVisibility.decision(member.status(), member.version());
    }

    /** Java's decision for a user's new status (never expiring), as the callers pass it. */
    private static String hiddenUntil(String status) {
        return Long.toString(StatusVisibility.hiddenUntil(new UserStatus(Status.parse(status).orElseThrow(), "", 0)));
    }

    private static String status(String status, long version) {
        return "{\"status\":\"" + status + "\",\"text\":\"\",\"expiresAt\":0,\"v\":" + version + "}";
    }

    @Test
    void joinAnnouncesOnlyTheFirstConnectionOfAUserAndNumbersItsEvent() throws Exception {
        try (TestRedis.Listener bus = redis.listen(ch.bus())) {
            Response first = join("c1", "ana", "{\"name\":\"Ana\"}", status("online", 0), 10);
            assertEquals(1, first.get(0).toInteger());
            assertEquals(1, first.get(3).toInteger(), "the world sees ana: member_added is due");
            long seq = first.get(1).toLong();
            assertTrue(seq > 1_600_000_000_000_000L, "a new counter starts from the clock in microseconds: " + seq);
            JsonNode event = JSON.readTree(bus.next());
            assertEquals(seq, event.get("seq").asLong(), "the event carries the number the join answered");
            assertEquals("member", event.get("type").asText());
            assertEquals("ana", event.get("user").asText());
            assertEquals("Ana", event.get("info").get("name").asText());
            assertEquals("online", event.get("status").get("status").asText());

            Response again = join("c1", "ana", "{}", status("online", 0), 10);
            assertEquals(0, again.get(0).toInteger(), "the same connection twice");
            assertEquals(seq, again.get(1).toLong(), "nothing happened: the current number");
            Response secondTab = join("c2", "ana", "{\"name\":\"Other\"}", status("busy", 0), 10);
            assertEquals(0, secondTab.get(0).toInteger());
            assertEquals("online", JSON.readTree(secondTab.get(2).toString()).get("status").asText(), "the stored status, not the new tab's");
            bus.expectNothing();
            assertEquals("{\"name\":\"Ana\"}", redis.call(Command.HGET, ch.info(), "ana").toString(), "the first connection's user_info stays");
            assertEquals("2", redis.call(Command.HGET, ch.users(), "ana").toString());
        }
    }

    @Test
    void aReRegistrationIsWorldNewsOnlyAfterAReap() {
        assertEquals(1, join("c1", "ana", "{}", status("online", 0), 10).get(3).toInteger());
        assertEquals(1, join("c2", "bob", "{}", status("invisible", 0), 10).get(0).toInteger());
        // Redis lost ana's entry (as after a restart): re-registering her is no news to the world
        redis.call(Command.DEL, ch.conns(), ch.users(), ch.info(), ch.status());
        assertEquals(0, join("c1", "ana", "{}", status("online", 0), 10, "1").get(3).toInteger());
        // a reaper removed her (her gateway stalled past its lease): re-registering her is news again
        assertEquals(1, leave("c1", "1").get(3).toInteger());
        assertEquals(1, join("c1", "ana", "{}", status("online", 0), 10, "1").get(3).toInteger());
        assertEquals(0, redis.call(Command.HEXISTS, ch.departed(), "ana").toInteger(), "used up");
    }

    @Test
    void aJoinsOwnStatusIsJudgedByTheCallersDecisionNotAStaleOneOfTheSameVersion() {
        // "invisible until T" (version 3) went pending for a join still on its way, with its decision; T passed, so the
        // join comes with the status in effect, "online", still version 3 (an expiry keeps the version)
        assertEquals(2, memberStatus("ana", "{\"status\":\"invisible\",\"text\":\"\",\"expiresAt\":1000,\"v\":3}").get(0).toInteger(),
                "no join yet: the status waits as pending");
        redis.call(Command.HDEL, ch.pending(), "ana"); // the pending entry expired; its decision stayed
        Response joined = join("c1", "ana", "{}", status("online", 3), 10);
        assertEquals(1, joined.get(0).toInteger());
        assertEquals(1, joined.get(3).toInteger(), "online is seen by the world: member_added is due");
    }

    @Test
    void joinRefusesANewUserPastTheCapButNotAnotherTab() {
        join("c1", "ana", "{}", status("online", 0), 1);
        assertEquals(-1, join("c2", "bob", "{}", status("online", 0), 1).get(0).toInteger());
        assertEquals(0, join("c3", "ana", "{}", status("online", 0), 1).get(0).toInteger());
        assertNull(redis.call(Command.HGET, ch.conns(), "c2"));
    }

    @Test
    void leaveAnnouncesOnlyTheLastConnectionWithTheNextNumber() throws Exception {
        long joined = join("c1", "ana", "{}", status("online", 0), 10).get(1).toLong();
        join("c2", "ana", "{}", status("online", 0), 10);
        try (TestRedis.Listener bus = redis.listen(ch.bus())) {
            Response first = leave("c1");
            assertEquals(List.of("ana", "0"), strings(first));
            bus.expectNothing();
            Response last = leave("c2");
            assertEquals("ana", last.get(0).toString());
            assertEquals(1, last.get(1).toInteger());
            assertEquals(joined + 1, last.get(2).toLong(), "numbers are consecutive");
            assertEquals(1, last.get(3).toInteger(), "the world saw ana: member_removed is due");
            JsonNode event = JSON.readTree(bus.next());
            assertEquals(joined + 1, event.get("seq").asLong());
            assertEquals("ana", event.get("user").asText());
            assertTrue(!event.has("info"), "a departure carries no user_info");
            assertEquals(0, leave("c2").size(), "unknown connection");
            assertEquals(0, redis.call(Command.EXISTS, ch.users(), ch.info(), ch.status()).toInteger(), "nothing left behind");
        }
    }

    @Test
    void memberStatusTakesOnlyNewerVersionsAndWaitsForAJoinInFlight() throws Exception {
        // the user is not in the channel yet: the status waits for the join
        assertEquals(2, memberStatus("ana", status("away", 5)).get(0).toInteger());
        try (TestRedis.Listener bus = redis.listen(ch.bus())) {
            Response joined = join("c1", "ana", "{}", status("online", 3), 10);
            assertEquals("away", JSON.readTree(joined.get(2).toString()).get("status").asText(), "the join picked up the newer status");
            assertEquals("away", JSON.readTree(bus.next()).get("status").get("status").asText());
            assertNull(redis.call(Command.HGET, ch.pending(), "ana"), "used up");

            assertEquals(0, memberStatus("ana", status("busy", 5)).get(0).toInteger(), "same version: nothing");
            assertEquals(-1, memberStatus("ana", status("invisible", 7)).get(2).toInteger(), "going invisible: member_removed");
            assertEquals(1, memberStatus("ana", status("online", 8)).get(2).toInteger(), "back: member_added");
            bus.next();
            bus.next();
            assertEquals(0, memberStatus("ana", status("busy", 4)).get(0).toInteger(), "older: nothing");
            bus.expectNothing();
            Response newer = memberStatus("ana", status("busy", 9));
            assertEquals(1, newer.get(0).toInteger());
            JsonNode event = JSON.readTree(bus.next());
            assertEquals(newer.get(1).toLong(), event.get("seq").asLong());
            assertEquals("busy", event.get("status").get("status").asText());
            assertEquals(newer.get(1).toLong(), event.get("seq").asLong());
            assertEquals(0, newer.get(2).toInteger(), "busy after online: the world sees no change of presence");
        }
    }

    @Test
    void aPendingStatusOlderThanTheJoinsOwnIsIgnored() throws Exception {
        memberStatus("ana", status("away", 5));
        Response joined = join("c1", "ana", "{}", status("busy", 9), 10);
        assertEquals("busy", JSON.readTree(joinedStatus(joined)).get("status").asText());
    }

    private static String joinedStatus(Response joined) {
        return joined.get(2).toString();
    }

    @Test
    void channelStateAnswersMembersAndStoredEventsAtOneNumber() throws Exception {
        join("c1", "ana", "{\"n\":1}", status("online", 0), 10);
        join("c2", "bob", "{\"n\":2}", status("invisible", 0), 10);
        List<String> stateKeys = List.of(ch.info(), ch.status(), ch.seq(), ch.events(), ch.cache(), ch.floor());
        Response state = run("channel_state.lua", stateKeys, "1", "", TTL, "100", "1");
        long seq = state.get(0).toLong();
        assertEquals(6, state.get(1).size(), "two members: user, user_info, status each");
        assertEquals(0, state.get(2).size());
        assertEquals(1, state.get(3).toInteger());
        assertEquals(0, state.get(4).toInteger(), "no stored events yet");

        List<String> publishKeys = List.of(ch.seq(), ch.events(), ch.ids(), ch.cache(), ch.floor());
        run("publish.lua", publishKeys, ch.bus(), TTL, "100", "0", "0", "e1", "1", "{\"type\":\"event\",\"name\":\"a\"}",
                "e2", "0", "{\"type\":\"event\",\"name\":\"b\"}", "e3", "1", "{\"type\":\"event\",\"name\":\"c\"}");
        Response after = run("channel_state.lua", stateKeys, "0", Long.toString(seq), TTL, "100", "1");
        assertEquals(seq + 3, after.get(0).toLong());
        assertEquals(0, after.get(1).size(), "members not asked for");
        List<String> events = strings(after.get(2));
        assertEquals(2, events.size(), "only the durable ones are kept");
        assertEquals(seq + 1, JSON.readTree(events.get(0)).get("seq").asLong());
        assertEquals("c", JSON.readTree(events.get(1)).get("name").asText());
        assertEquals(1, after.get(4).toInteger());
        assertEquals(1, run("channel_state.lua", stateKeys, "0", Long.toString(seq + 3), TTL, "100", "1").get(3).toInteger());
        assertEquals(0, run("channel_state.lua", stateKeys, "0", Long.toString(seq - 200), TTL, "100", "1").get(3).toInteger(),
                "a gap longer than the window cannot be replayed completely");
    }

    @Test
    void aLookAtAChannelNobodyUsedWritesNothing() {
        List<String> stateKeys = List.of(ch.info(), ch.status(), ch.seq(), ch.events(), ch.cache(), ch.floor());
        assertEquals(0, run("channel_state.lua", stateKeys, "1", "", TTL, "100", "0").get(0).toLong());
        assertEquals(0, redis.call(Command.EXISTS, ch.seq()).toInteger());
        assertTrue(run("channel_state.lua", stateKeys, "1", "", TTL, "100", "1").get(0).toLong() > 0, "a follower gets a counter");
    }

    @Test
    void publishNumbersInOrderIsIdempotentByIdAndTrimsToTheWindow() throws Exception {
        List<String> keys = List.of(ch.seq(), ch.events(), ch.ids(), ch.cache(), ch.floor());
        try (TestRedis.Listener bus = redis.listen(ch.bus())) {
            Response first = run("publish.lua", keys, ch.bus(), TTL, "3", "0", "0", "id-1", "1", "{\"type\":\"event\",\"name\":\"x\"}",
                    "id-2", "1", "{\"type\":\"event\",\"name\":\"y\"}");
            long s1 = first.get(0).toLong();
            assertEquals(s1 + 1, first.get(1).toLong());
            assertEquals("{\"seq\":" + s1 + ",\"type\":\"event\",\"name\":\"x\"}", bus.next());
            assertEquals("{\"seq\":" + (s1 + 1) + ",\"type\":\"event\",\"name\":\"y\"}", bus.next());

            Response retried = run("publish.lua", keys, ch.bus(), TTL, "3", "0", "0", "id-2", "1", "{\"type\":\"event\",\"name\":\"y\"}",
                    "id-3", "1", "{\"type\":\"event\",\"name\":\"z\"}");
            assertEquals(s1 + 1, retried.get(0).toLong(), "a retried id keeps its number");
            assertEquals(s1 + 2, retried.get(1).toLong());
            assertEquals(s1 + 2, JSON.readTree(bus.next()).get("seq").asLong(), "and is not published again");
            bus.expectNothing();
        }
        for (int i = 4; i <= 8; i++) {
            run("publish.lua", keys, ch.bus(), TTL, "3", "0", "0", "id-" + i, "1", "{\"type\":\"event\"}");
        }
        long last = redis.call(Command.GET, ch.seq()).toLong();
        Response stream = redis.call(Command.XRANGE, ch.events(), "-", "+");
        assertEquals(4, stream.size(), "numbers last-3 .. last are kept");
        assertEquals((last - 3) + "-0", stream.get(0).get(0).toString());
        assertTrue(redis.call(Command.PTTL, ch.events()).toLong() > 0, "the stream expires when the channel goes quiet");
        assertEquals(4, redis.call(Command.ZCARD, ch.ids()).toInteger(), "recent ids are trimmed to the window too");
        assertEquals(0, redis.call(Command.EXISTS, ch.cache()).toInteger(), "not a cache channel");
        run("publish.lua", keys, ch.bus(), TTL, "3", "60000", "0", "id-9", "1", "{\"type\":\"event\",\"name\":\"kept\"}",
                "id-10", "0", "{\"type\":\"event\",\"name\":\"client\"}");
        assertTrue(redis.call(Command.GET, ch.cache()).toString().contains("\"kept\""), "a cache channel keeps its last stored event");
        Response state = run("channel_state.lua", List.of(ch.info(), ch.status(), ch.seq(), ch.events(), ch.cache(), ch.floor()), "0", "", TTL, "3", "1");
        assertTrue(state.get(5).toString().contains("\"kept\""), "and hands it to a gateway that loads the channel");
    }

    @Test
    void eventsOlderThanTheMaxAgeAreTrimmedAndAReadFromBeforeThemIsIncomplete() throws Exception {
        List<String> keys = List.of(ch.seq(), ch.events(), ch.ids(), ch.cache(), ch.floor());
        List<String> stateKeys = List.of(ch.info(), ch.status(), ch.seq(), ch.events(), ch.cache(), ch.floor());
        long first = run("publish.lua", keys, ch.bus(), TTL, "100", "0", "0", "old-1", "1", "{\"type\":\"event\"}",
                "old-2", "1", "{\"type\":\"event\"}").get(0).toLong();
        long storedAt = Long.parseLong(redis.call(Command.XRANGE, ch.events(), "-", "+").get(0).get(1).get(3).toString());
        Response time;
        do { // until Redis's clock is past the old events' age of 1 ms
            time = redis.call(Command.TIME);
        } while (time.get(0).toLong() * 1000 + time.get(1).toLong() / 1000 <= storedAt + 1);
        long fresh = run("publish.lua", keys, ch.bus(), TTL, "100", "0", "1", "new-1", "1", "{\"type\":\"event\"}").get(0).toLong();

        Response stream = redis.call(Command.XRANGE, ch.events(), "-", "+");
        assertEquals(1, stream.size(), "the two old events are trimmed, the new one stays");
        assertEquals(fresh + "-0", stream.get(0).get(0).toString());
        assertEquals(first + 1, redis.call(Command.GET, ch.floor()).toLong(), "the floor is the last number trimmed");
        assertEquals(0, run("channel_state.lua", stateKeys, "0", Long.toString(first - 1), TTL, "100", "1").get(3).toInteger(),
                "a read from before the trimmed events is incomplete");
        Response fromFloor = run("channel_state.lua", stateKeys, "0", Long.toString(first + 1), TTL, "100", "1");
        assertEquals(1, fromFloor.get(3).toInteger(), "a read from the floor on is complete");
        assertEquals(1, fromFloor.get(2).size());
    }

    @Test
    void aLostCounterRestartsAboveEveryNumberItGaveOut() {
        long before = join("c1", "ana", "{}", status("online", 0), 10).get(1).toLong();
        redis.call(Command.DEL, ch.seq(), ch.conns(), ch.users(), ch.info(), ch.status());
        long after = join("c1", "ana", "{}", status("online", 0), 10).get(1).toLong();
        assertTrue(after > before, before + " then " + after);
    }

    @Test
    void userScriptsRecordConnectionsStatusVersionsAndLastSeen() {
        String user = "u-" + UUID.randomUUID();
        List<String> userKeys = List.of(schema.userConnections("app", user), schema.userState("app", user), schema.blockers("app", user), schema.watchers("app", user));
        redis.call(Command.SADD, schema.blockers("app", user), "eve");
        Response joined = run("user_join.lua", userKeys, "app\u0000presence-x\u0000c1", "busy", "lunch", "0", "7", hiddenUntil("busy"), "");
        List<String> state = strings(joined.get(0));
        assertTrue(state.containsAll(List.of("status", "busy", "text", "lunch", "v", "7")), state.toString());
        assertEquals(List.of("eve"), strings(joined.get(1)));
        Response again = run("user_join.lua", userKeys, "app\u0000presence-y\u0000c2", "online", "", "0", "0", hiddenUntil("online"), "");
        assertTrue(strings(again.get(0)).contains("busy"), "a stored status is kept");

        List<String> statusKeys = List.of(schema.userState("app", user), schema.userConnections("app", user), schema.watchers("app", user));
        Response changed = run("status.lua", statusKeys, "away", "", "0", "", hiddenUntil("away"), "");
        long version = changed.get(0).toLong();
        assertTrue(version > System.currentTimeMillis() - 60_000, "versions come from the clock: " + version);
        assertEquals("busy", changed.get(1).toString(), "the previous status");
        assertEquals(2, changed.get(2).size(), "both channels to announce in");
        assertEquals(0, changed.get(3).toInteger(), "away to away: no watchlist transition");
        long next = run("status.lua", statusKeys, "online", "", "0", "", hiddenUntil("online"), "").get(0).toLong();
        assertTrue(next > version, "versions only grow");
        assertEquals(0, run("status.lua", statusKeys, "busy", "", "0", "12345", hiddenUntil("busy"), "").size(), "the expiry guard did not match");

        List<String> leaveKeys = List.of(schema.userConnections("app", user), schema.userState("app", user), schema.watchers("app", user));
        assertEquals(1, run("user_leave.lua", leaveKeys, "app\u0000presence-x\u0000c1", "1000", "").get(0).toLong());
        assertEquals(-1, run("user_leave.lua", leaveKeys, "app\u0000presence-x\u0000c1", "1000", "").get(0).toLong());
        assertEquals(0, run("user_leave.lua", leaveKeys, "app\u0000presence-y\u0000c2", "2000", "").get(0).toLong());
        assertEquals("2000", redis.call(Command.HGET, schema.userState("app", user), "lastSeen").toString());
    }

    @Test
    void watchlistTransitionsAreDecidedOncePerUserAndNumberedUpwards() {
        String user = "u-" + UUID.randomUUID();
        List<String> joinKeys = List.of(schema.userConnections("app", user), schema.userState("app", user), schema.blockers("app", user), schema.watchers("app", user));
        List<String> leaveKeys = List.of(schema.userConnections("app", user), schema.userState("app", user), schema.watchers("app", user));
        List<String> statusKeys = List.of(schema.userState("app", user), schema.userConnections("app", user), schema.watchers("app", user));
        List<String> watchKeys = List.of(schema.watchers("app", user), schema.userConnections("app", user), schema.userState("app", user));

        Response unwatched = run("user_join.lua", joinKeys, "app\u0000presence-x\u0000c0", "online", "", "0", "0", hiddenUntil("online"), "");
        assertEquals(List.of(), strings(unwatched.get(2)), "nobody watches yet: nobody to tell");
        run("user_leave.lua", leaveKeys, "app\u0000presence-x\u0000c0", "500", "");

        Response watch = run("watch.lua", watchKeys, "app\u0000bob\u0000w1", "");
        assertEquals(0, watch.get(0).toInteger(), "offline when bob starts watching");
        long seen = watch.get(1).toLong();
        assertTrue(seen > System.currentTimeMillis() - 60_000, "a user without transitions is numbered from the clock: " + seen);
        run("watch.lua", watchKeys, "app\u0000bob\u0000w2", "");

        Response first = run("user_join.lua", joinKeys, "app\u0000presence-x\u0000c1", "online", "", "0", "0", hiddenUntil("online"), "");
        assertEquals(2, strings(first.get(2)).size(), "the first connection anywhere tells every watching connection");
        long online = first.get(3).toLong();
        assertTrue(online > seen, seen + " then " + online);
        Response second = run("user_join.lua", joinKeys, "#\u0000#server-to-user-" + user + "\u0000c2", "online", "", "0", "0", hiddenUntil("online"), "");
        assertEquals(List.of(), strings(second.get(2)), "a second connection (here a sign-in) changes nothing");
        assertEquals(1, run("watch.lua", watchKeys, "app\u0000carol\u0000w3", "").get(0).toInteger(), "online for a new watcher");

        Response invisible = run("status.lua", statusKeys, "invisible", "", "0", "", hiddenUntil("invisible"), "");
        assertEquals(-1, invisible.get(3).toInteger(), "going invisible looks like going offline");
        assertEquals(3, strings(invisible.get(4)).size());
        long hidden = invisible.get(5).toLong();
        assertTrue(hidden > online);
        assertEquals(0, run("watch.lua", watchKeys, "app\u0000dave\u0000w4", "").get(0).toInteger(), "invisible reads as offline");
        assertEquals(List.of(), strings(run("user_leave.lua", leaveKeys, "app\u0000presence-x\u0000c1", "1000", "").get(1)));
        assertEquals(List.of(), strings(run("user_leave.lua", leaveKeys, "#\u0000#server-to-user-" + user + "\u0000c2", "1000", "").get(1)),
                "an invisible user leaving was offline already");

        run("status.lua", statusKeys, "online", "", "0", "", hiddenUntil("online"), "");
        Response back = run("user_join.lua", joinKeys, "app\u0000presence-x\u0000c3", "online", "", "0", "0", hiddenUntil("online"), "");
        assertEquals(4, strings(back.get(2)).size(), "visible again and connected: online");
        Response gone = run("user_leave.lua", leaveKeys, "app\u0000presence-x\u0000c3", Long.toString(System.currentTimeMillis()), "");
        assertEquals(4, strings(gone.get(1)).size(), "the last connection went: offline");
        assertTrue(gone.get(2).toLong() > back.get(3).toLong(), "numbers only grow");

        redis.call(Command.DEL, schema.userState("app", user));
        long afterLoss = run("watch.lua", watchKeys, "app\u0000bob\u0000w1", "").get(1).toLong();
        assertTrue(afterLoss >= gone.get(2).toLong(), "after Redis lost the state the number restarts from the clock");
    }

    @Test
    void subscribersDecideOccupiedVacatedAndThrottledCounts() throws Exception {
        List<String> keys = List.of(ch.subscribers(), ch.subscriptionCount(), ch.seq(), ch.vacated(), ch.departures());
        try (TestRedis.Listener bus = redis.listen(ch.bus())) {
            Response first = run("subscribers.lua", keys, "1", "60000", ch.bus(), TTL, "1", "", DEPARTURE_MEMORY);
            assertEquals(List.of("1", "1", "1", "0"), strings(first).subList(0, 4), "occupied, and the first count goes out at once");
            JsonNode count = JSON.readTree(bus.next());
            assertEquals("pusher_internal:subscription_count", count.get("name").asText());
            assertEquals("{\"subscription_count\":1}", count.get("data").asText());
            Response second = run("subscribers.lua", keys, "1", "60000", ch.bus(), TTL, "1", "", DEPARTURE_MEMORY);
            assertEquals(2, second.get(0).toInteger());
            assertEquals(0, second.get(1).toInteger());
            assertEquals(-1, second.get(2).toInteger(), "within the interval: pending");
            assertTrue(second.get(3).toLong() > 0, "and when it may go");
            bus.expectNothing();
            assertEquals(-1, run("subscribers.lua", keys, "0", "60000", ch.bus(), TTL, "1", "", DEPARTURE_MEMORY).get(2).toInteger(), "a flush too early waits");
            assertEquals(2, run("subscribers.lua", keys, "0", "0", ch.bus(), TTL, "1", "", DEPARTURE_MEMORY).get(2).toInteger(), "once due it goes");
            assertEquals("{\"subscription_count\":2}", JSON.readTree(bus.next()).get("data").asText());
            assertEquals(List.of("0", "-1", "-1"), strings(run("subscribers.lua", keys, "-2", "60000", ch.bus(), TTL, "1", "reap", DEPARTURE_MEMORY)).subList(0, 3),
                    "vacated, by a reaper (its count waits for the interval)");
            assertEquals(1, run("subscribers.lua", keys, "1", "60000", ch.bus(), TTL, "1", "restore", DEPARTURE_MEMORY).get(1).toInteger(),
                    "a gateway counting again what a reaper took away: occupied again");
            run("subscribers.lua", keys, "-1", "60000", ch.bus(), TTL, "1", "", DEPARTURE_MEMORY);
            assertEquals(0, run("subscribers.lua", keys, "1", "60000", ch.bus(), TTL, "1", "restore", DEPARTURE_MEMORY).get(1).toInteger(),
                    "counting again after Redis lost its data: nobody was told it was vacated");
            assertEquals(0, run("subscribers.lua", keys, "-5", "60000", ch.bus(), TTL, "0", "", DEPARTURE_MEMORY).get(0).toInteger(), "never below zero");
        }
    }

    @Test
    void countKeepsOnlyOccupiedChannels() {
        String hash = schema.nodeSubscriptions("n-" + UUID.randomUUID());
        List<String> keys = List.of(hash);
        assertEquals(1, run("count.lua", keys, "app\u0000c", "1").toInteger());
        assertEquals(2, run("count.lua", keys, "app\u0000c", "1").toInteger());
        assertEquals(0, run("count.lua", keys, "app\u0000c", "-2").toInteger());
        assertEquals(0, redis.call(Command.EXISTS, hash).toInteger());
    }

    @Test
    void attemptCountsInAWindowThatStartsWithTheFirstAndGivesBackWithoutGoingBelowZero() {
        List<String> counter = List.of(redis.prefix() + ":attempts:" + UUID.randomUUID());
        Response first = run("attempt.lua", counter, "1", "60000");
        assertEquals(1, first.get(0).toInteger());
        assertTrue(first.get(1).toLong() > 50_000 && first.get(1).toLong() <= 60_000, "the window starts: " + first);
        redis.call(Command.PEXPIRE, counter.get(0), "30000");
        Response second = run("attempt.lua", counter, "1", "60000");
        assertEquals(2, second.get(0).toInteger());
        assertTrue(second.get(1).toLong() <= 30_000, "a later attempt does not extend the window: " + second);
        assertEquals(1, run("attempt.lua", counter, "-1", "60000").get(0).toInteger());
        assertEquals(0, run("attempt.lua", counter, "-1", "60000").get(0).toInteger());
        assertEquals(0, redis.call(Command.EXISTS, counter.get(0)).toInteger(), "a counter given back to 0 is gone");
        assertEquals(0, run("attempt.lua", counter, "-1", "60000").get(0).toInteger());
        assertEquals(0, redis.call(Command.EXISTS, counter.get(0)).toInteger(), "nothing to give back: nothing stored");
    }

    private static List<String> strings(Response response) {
        List<String> values = new ArrayList<>();
        response.forEach(r -> values.add(r.toString()));
        return values;
    }

    private long enqueue(String stream, int queueLength, int n) {
        return run("webhook_enqueue.lua", List.of(stream), Integer.toString(queueLength), "senders", "n", Integer.toString(n)).toLong();
    }

    private List<String> numbers(String stream) {
        List<String> values = new ArrayList<>();
        for (Response entry : redis.call(Command.XRANGE, stream, "-", "+")) {
            values.add(entry.get(1).get(1).toString());
        }
        return values;
    }

    @Test
    void theWebhookQueueKeepsItsLengthDroppingTheOldestAndCountsOnlyUnreadOnesAsLost() {
        String stream = schema.webhooks();
        redis.call(Command.DEL, stream);
        for (int n = 1; n <= 5; n++) {
            assertEquals(0, enqueue(stream, 5, n), "room for " + n);
        }
        assertEquals(1, enqueue(stream, 5, 6), "one over: the oldest goes, unread (no sender group yet)");
        assertEquals(List.of("2", "3", "4", "5", "6"), numbers(stream));
        // the sender reads two (they stay in the stream until it finishes them)
        redis.call(Command.XGROUP, "CREATE", stream, "senders", "0");
        redis.call(Command.XREADGROUP, "GROUP", "senders", "sender", "COUNT", "2", "STREAMS", stream, ">");
        assertEquals(0, enqueue(stream, 5, 7), "the oldest dropped was read already: the sender still has it");
        assertEquals(0, enqueue(stream, 5, 8), "so was the next");
        assertEquals(1, enqueue(stream, 5, 9), "then an unread one");
        assertEquals(List.of("5", "6", "7", "8", "9"), numbers(stream));
        assertEquals(5, redis.call(Command.XLEN, stream).toLong(), "never longer than its bound");
        run("webhook_enqueue.lua", List.of(stream), "2", "senders", "n", "10");
        assertEquals(List.of("9", "10"), numbers(stream), "a lower bound trims at once");
        redis.call(Command.DEL, stream);
    }

    @Test
    void theWebhookBacklogIsTheQueuesLengthAndTheAgeOfItsOldestEntry() {
        String stream = schema.webhooks();
        redis.call(Command.DEL, stream);
        Response empty = run("webhook_backlog.lua", List.of(stream));
        assertEquals(List.of(0L, 0L), List.of(empty.get(0).toLong(), empty.get(1).toLong()));
        Response time = redis.call(Command.TIME);
        long nowMs = time.get(0).toLong() * 1000 + time.get(1).toLong() / 1000;
        redis.call(Command.XADD, stream, (nowMs - 90_000) + "-0", "n", "1");
        redis.call(Command.XADD, stream, "*", "n", "2");
        Response backlog = run("webhook_backlog.lua", List.of(stream));
        assertEquals(2, backlog.get(0).toLong());
        long age = backlog.get(1).toLong();
        assertTrue(age >= 90_000 && age < 150_000, "the oldest entry's age on the Redis clock: " + age);
        redis.call(Command.DEL, stream);
    }

}
