package io.presence.message;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.presence.common.budget.Budgets;
import io.presence.common.budget.BudgetsConfig;
import io.presence.common.testing.BudgetTests;
import io.presence.common.testing.Bus;
import io.presence.common.testing.Problems;
import io.presence.message.service.MessageService;
import io.presence.testsupport.FakeUserService;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Room messages: sent once per key and published after the commit, paged history, edits, tombstones and read cursors. */
@QuarkusTest
@WithTestResource(MessageStores.class)
@WithTestResource(FakeUserService.class)
class RoomMessageResourceTest {

    @Inject
    AgroalDataSource dataSource;

    /** The room's channel from now on (the system messages of its creation and joins are not read). */
    private static Bus bus(String room) {
        return Bus.listen("presence-room-" + room);
    }

    private static Response send(TestUser user, String room, String text, String key) {
        return user.as().body("{\"text\":\"" + text + "\",\"clientMessageId\":\"" + key + "\"}").post("/api/rooms/" + room + "/messages");
    }

    private long count(String where) throws SQLException {
        try (var c = dataSource.getConnection(); var s = c.createStatement();
             var r = s.executeQuery("SELECT count(*) FROM messages.messages WHERE " + where)) {
            r.next();
            return r.getLong(1);
        }
    }

    @Inject
    Budgets budgets;

    @Inject
    BudgetsConfig budgetsConfig;

    @Inject
    MeterRegistry metrics;

    @Test
    void sendsPerUserAreBudgetedInRoomsAndConversationsTogether() {
        // issue 26: message sends had no budget. The test profile's limit is generous (tests send thousands as few
        // users): all of it but one is taken first, as if by earlier sends of this user.
        String[] room = new String[1];
        TestUser[] pair = roomWithTwo(room);
        TestUser ana = pair[0];
        FakeUserService.befriend(ana.id(), pair[1].id());
        BudgetsConfig.Budget budget = BudgetTests.takeAllButOne(budgets, budgetsConfig, MessageService.SEND_BUDGET, ana.idText());
        double before = BudgetTests.refusals(metrics, MessageService.SEND_BUDGET);
        send(ana, room[0], "the last one", TestUser.newKey()).then().statusCode(201); // the limit
        long perOne = BudgetTests.oneBackSeconds(budget);
        String refusedKey = TestUser.newKey();
        Problems.assertRateLimited(send(ana, room[0], "one too many", refusedKey), 1, perOne);
        Problems.assertRateLimited(ana.as().body("{\"text\":\"direct\",\"clientMessageId\":\"" + TestUser.newKey() + "\"}")
                .post("/api/conversations/" + pair[1].id() + "/messages"), 1, perOne);
        assertEquals(2, BudgetTests.refusals(metrics, MessageService.SEND_BUDGET) - before, "counted in budgets.refusals{budget}");
        ana.as().get("/api/rooms/" + room[0] + "/messages").then().statusCode(200)
                .body("messages.text", not(hasItem("one too many")));
        send(pair[1], room[0], "bob's own budget", TestUser.newKey()).then().statusCode(201);
    }

    /** A public room of a fresh owner that a second fresh user has joined. */
    private static TestUser[] roomWithTwo(String[] roomOut) {
        TestUser ana = TestUser.create("ana");
        TestUser bob = TestUser.create("bob");
        roomOut[0] = RoomResourceTest.createRoom(ana, "talk", "public");
        bob.as().put("/api/rooms/" + roomOut[0] + "/members/me").then().statusCode(200);
        return new TestUser[] {ana, bob};
    }

    @Test
    void aSendIsStoredOnceAndPublishedAfterCommit() throws Exception {
        String[] room = new String[1];
        TestUser[] u = roomWithTwo(room);
        TestUser ana = u[0];
        try (Bus bus = bus(room[0])) {
            String key = TestUser.newKey();
            Response first = send(ana, room[0], "hello \\\"world\\\" ✓", key);
            first.then().statusCode(201)
                    .body("text", equalTo("hello \"world\" ✓"))
                    .body("author.id", equalTo(ana.idText()))
                    .body("author.handle", equalTo(ana.handle()))
                    .body("roomId", equalTo(room[0]))
                    .body("conversationId", nullValue())
                    .body("kind", equalTo("user"))
                    .body("clientMessageId", equalTo(key))
                    .body("createdAt", notNullValue());
            String id = first.path("id");

            Bus.Frame frame = bus.next();
            assertEquals("message", frame.event());
            assertEquals("presence-room-" + room[0], frame.channel());
            assertEquals(id, frame.data().get("id").asText());
            assertEquals("hello \"world\" ✓", frame.data().get("text").asText());
            assertEquals(ana.idText(), frame.data().get("author").get("id").asText());

            // the retry gets the same message, is not stored again and not published again
            send(ana, room[0], "hello \\\"world\\\" ✓", key).then().statusCode(200)
                    .header("Idempotent-Replayed", "true")
                    .body("id", equalTo(id));
            assertEquals(1, count("client_message_id = '" + key + "'"));
            assertEquals(List.of(), bus.nextUntilMarker(), "a replay publishes nothing");

            // the same key for another room is a conflict, not a silent replay
            String other = RoomResourceTest.createRoom(ana, "other", "public");
            send(ana, other, "x", key).then().statusCode(409).contentType("application/problem+json");
        }
    }

    @Test
    void concurrentRetriesOfOneSendStoreOneMessage() throws Exception {
        String[] room = new String[1];
        TestUser ana = roomWithTwo(room)[0];
        String key = TestUser.newKey();
        int attempts = 12;
        ExecutorService pool = Executors.newFixedThreadPool(attempts);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<String>> ids = new ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                Callable<String> attempt = () -> {
                    start.await();
                    Response r = send(ana, room[0], "once", key);
                    assertTrue(r.statusCode() == 201 || r.statusCode() == 200, "status " + r.statusCode() + ": " + r.asString());
                    return r.path("id");
                };
                ids.add(pool.submit(attempt));
            }
            start.countDown();
            Set<String> distinct = new HashSet<>();
            for (Future<String> f : ids) {
                distinct.add(f.get());
            }
            assertEquals(1, distinct.size(), "every attempt got the same message: " + distinct);
            assertEquals(1, count("client_message_id = '" + key + "'"));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void historyPagesBackwardsByCursorOldestFirst() {
        String[] room = new String[1];
        TestUser[] u = roomWithTwo(room);
        TestUser ana = u[0];
        TestUser bob = u[1];
        for (int i = 0; i < 23; i++) {
            send(i % 2 == 0 ? ana : bob, room[0], "m" + i, TestUser.newKey()).then().statusCode(201);
        }
        List<String> all = new ArrayList<>();
        String before = null;
        int pages = 0;
        do {
            var request = bob.as().queryParam("limit", 10);
            if (before != null) {
                request.queryParam("before", before);
            }
            Response page = request.get("/api/rooms/" + room[0] + "/messages");
            page.then().statusCode(200);
            List<String> texts = page.path("messages.text");
            List<String> ids = page.path("messages.id");
            for (int i = 1; i < ids.size(); i++) {
                assertTrue(Long.parseLong(ids.get(i - 1)) < Long.parseLong(ids.get(i)), "oldest first within a page");
            }
            all.addAll(0, texts);
            before = page.path("nextBefore");
            if (before != null) {
                assertEquals(ids.get(0), before, "the cursor of the older page is the oldest message of this one");
            }
            pages++;
        } while (before != null);
        assertEquals(3, pages);
        List<String> expected = new ArrayList<>(List.of(ana.handle() + " created the room", bob.handle() + " joined"));
        for (int i = 0; i < 23; i++) {
            expected.add("m" + i);
        }
        assertEquals(expected, all);
        // the default page is the latest 100
        bob.as().get("/api/rooms/" + room[0] + "/messages").then().body("messages", hasSize(25)).body("nextBefore", nullValue());
    }

    @Test
    void badCursorsAndLimitsAre400() {
        String[] room = new String[1];
        TestUser ana = roomWithTwo(room)[0];
        String otherRoom = RoomResourceTest.createRoom(ana, "elsewhere", "public");
        String foreign = send(ana, otherRoom, "there", TestUser.newKey()).path("id");
        for (String before : List.of("abc", "-1", "0", "99999999999", foreign, "1.5", "123456789012345678901")) {
            ana.as().queryParam("before", before).get("/api/rooms/" + room[0] + "/messages")
                    .then().statusCode(400).contentType("application/problem+json");
        }
        for (String limit : List.of("0", "101", "x", "-5")) {
            ana.as().queryParam("limit", limit).get("/api/rooms/" + room[0] + "/messages")
                    .then().statusCode(400).contentType("application/problem+json");
        }
        ana.as().body("{\"messageId\":\"" + foreign + "\"}").put("/api/rooms/" + room[0] + "/cursor")
                .then().statusCode(400).contentType("application/problem+json");
        ana.as().body("{\"messageId\":\"x\"}").put("/api/rooms/" + room[0] + "/cursor").then().statusCode(400);
        ana.as().body("{}").put("/api/rooms/" + room[0] + "/cursor").then().statusCode(400);
    }

    @Test
    void textAndKeysAreValidated() throws Exception {
        String[] room = new String[1];
        TestUser ana = roomWithTwo(room)[0];
        try (Bus bus = bus(room[0])) {
            String url = "/api/rooms/" + room[0] + "/messages";
            ana.as().body("{\"text\":\"\",\"clientMessageId\":\"k\"}").post(url).then().statusCode(400)
                    .contentType("application/problem+json").body("errors.field", contains("text"));
            ana.as().body("{\"text\":\"   \",\"clientMessageId\":\"k\"}").post(url).then().statusCode(400);
            ana.as().body("{\"text\":\"" + "x".repeat(4001) + "\",\"clientMessageId\":\"k\"}").post(url).then().statusCode(400);
            ana.as().body("{\"text\":\"hi\"}").post(url).then().statusCode(400).body("errors.field", contains("clientMessageId"));
            ana.as().body("{\"text\":\"hi\",\"clientMessageId\":\"has space\"}").post(url).then().statusCode(400);
            ana.as().body("{\"text\":\"hi\",\"clientMessageId\":\"" + "k".repeat(101) + "\"}").post(url).then().statusCode(400);
            ana.as().body("not json").post(url).then().statusCode(400).contentType("application/problem+json");
            ana.as().post(url).then().statusCode(400);
            TestUser stranger = TestUser.create("eve");
            send(stranger, room[0], "let me in", TestUser.newKey()).then().statusCode(403).contentType("application/problem+json");
            given().contentType("application/json").body("{\"text\":\"hi\",\"clientMessageId\":\"k\"}").post(url)
                    .then().statusCode(401).contentType("application/problem+json");
            send(ana, "999999", "nowhere", TestUser.newKey()).then().statusCode(404).contentType("application/problem+json");
            assertEquals(List.of(), bus.nextUntilMarker(), "refused sends publish nothing");
            send(ana, room[0], "x".repeat(4000), TestUser.newKey()).then().statusCode(201);
            assertEquals("message", bus.next().event());
        }
    }

    @Test
    void authorsEditAndDeleteTheirMessagesLeavingTombstones() throws Exception {
        String[] room = new String[1];
        TestUser[] u = roomWithTwo(room);
        TestUser ana = u[0];
        TestUser bob = u[1];
        String id = send(ana, room[0], "frist", TestUser.newKey()).path("id");
        String later = send(bob, room[0], "after", TestUser.newKey()).path("id");
        String url = "/api/rooms/" + room[0] + "/messages/" + id;
        try (Bus bus = bus(room[0])) {
            bob.as().body("{\"text\":\"mine now\"}").patch(url).then().statusCode(403).contentType("application/problem+json");
            bob.as().delete(url).then().statusCode(403);
            ana.as().body("{\"text\":\"\"}").patch(url).then().statusCode(400);
            assertEquals(List.of(), bus.nextUntilMarker(), "refused edits publish nothing");

            ana.as().body("{\"text\":\"first\"}").patch(url).then().statusCode(200)
                    .body("text", equalTo("first")).body("editedAt", notNullValue()).body("id", equalTo(id));
            Bus.Frame updated = bus.next();
            assertEquals("message_updated", updated.event());
            assertEquals("first", updated.data().get("text").asText());

            ana.as().delete(url).then().statusCode(204);
            Bus.Frame deleted = bus.next();
            assertEquals("message_deleted", deleted.event());
            assertEquals(id, deleted.data().get("id").asText());
            assertTrue(deleted.data().get("text").isNull());
            ana.as().delete(url).then().statusCode(204); // idempotent, nothing new published
            ana.as().body("{\"text\":\"again\"}").patch(url).then().statusCode(409).contentType("application/problem+json");
            assertEquals(List.of(), bus.nextUntilMarker(), "a second delete and an edit of a tombstone publish nothing");
        }
        // the tombstone stays in history, so a cursor on it is still valid
        bob.as().get("/api/rooms/" + room[0] + "/messages").then()
                .body("messages.find { it.id == '" + id + "' }.text", nullValue())
                .body("messages.find { it.id == '" + id + "' }.deletedAt", notNullValue());
        bob.as().queryParam("before", later).get("/api/rooms/" + room[0] + "/messages").then().statusCode(200)
                .body("messages[-1].id", equalTo(id));
        bob.as().body("{\"messageId\":\"" + id + "\"}").put("/api/rooms/" + room[0] + "/cursor").then().statusCode(200);

        // system messages belong to nobody; unknown ids are 404
        String system = bob.as().get("/api/rooms/" + room[0] + "/messages").path("messages[0].id");
        ana.as().body("{\"text\":\"rewrite\"}").patch("/api/rooms/" + room[0] + "/messages/" + system).then().statusCode(403);
        ana.as().body("{\"text\":\"x\"}").patch("/api/rooms/" + room[0] + "/messages/999999999").then().statusCode(404)
                .contentType("application/problem+json");
        ana.as().delete("/api/rooms/" + room[0] + "/messages/abc").then().statusCode(404);
    }

    @Test
    void readCursorsMoveForwardOnlyAndAreBroadcast() throws Exception {
        String[] room = new String[1];
        TestUser[] u = roomWithTwo(room);
        TestUser ana = u[0];
        TestUser bob = u[1];
        String m1 = send(ana, room[0], "one", TestUser.newKey()).path("id");
        String m2 = send(ana, room[0], "two", TestUser.newKey()).path("id");
        send(ana, room[0], "three", TestUser.newKey()).then().statusCode(201);
        String cursorUrl = "/api/rooms/" + room[0] + "/cursor";
        bob.as().get(cursorUrl).then().statusCode(200).body("messageId", equalTo("0")).body("unread", equalTo(4));
        try (Bus bus = bus(room[0])) {
            bob.as().body("{\"messageId\":\"" + m2 + "\"}").put(cursorUrl).then().statusCode(200)
                    .body("messageId", equalTo(m2)).body("unread", equalTo(1));
            Bus.Frame frame = bus.next();
            assertEquals("read_cursor", frame.event());
            assertEquals(bob.idText(), frame.data().get("user_id").asText());
            assertEquals(m2, frame.data().get("messageId").asText());

            // backwards: nothing moves, nothing is published
            bob.as().body("{\"messageId\":" + m1 + "}").put(cursorUrl).then().statusCode(200).body("messageId", equalTo(m2));
            bob.as().body("{\"messageId\":\"" + m2 + "\"}").put(cursorUrl).then().statusCode(200);
            assertEquals(List.of(), bus.nextUntilMarker(), "a cursor that did not move is not broadcast");
        }
        ana.as().get("/api/rooms/" + room[0] + "/members").then()
                .body("members.find { it.userId == '" + bob.idText() + "' }.lastReadMessageId", equalTo(m2));
        bob.as().get("/api/rooms/mine").then().body("rooms[0].unread", equalTo(1)).body("rooms[0].lastReadMessageId", equalTo(m2));
        TestUser stranger = TestUser.create("eve");
        stranger.as().body("{\"messageId\":\"" + m2 + "\"}").put(cursorUrl).then().statusCode(403);
    }
}
