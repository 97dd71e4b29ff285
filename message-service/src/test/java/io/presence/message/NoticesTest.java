package io.presence.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.presence.common.testing.Bus;
import io.presence.common.testing.Problems;
import io.presence.testsupport.FakeUserService;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Per-user events (membership, invitations, unread counts, renames, deletes) on private-user channels and public
 * rooms on the rooms directory: after the commit, once each, in order; refused changes publish nothing.
 */
@QuarkusTest
@WithTestResource(MessageStores.class)
@WithTestResource(FakeUserService.class)
class NoticesTest {

    private Bus bus(String channel) {
        return Bus.listen(channel);
    }

    private Bus userBus(TestUser user) {
        return bus("private-user-" + user.id());
    }

    private static String send(TestUser user, String path, String text) {
        return user.as().body("{\"text\":\"" + text + "\",\"clientMessageId\":\"" + TestUser.newKey() + "\"}")
                .post(path + "/messages").then().statusCode(201).extract().path("id");
    }

    private static Bus.Frame expect(Bus bus, String event) throws Exception {
        Bus.Frame frame = bus.next();
        assertEquals(event, frame.event(), frame.data().toString());
        return frame;
    }

    private static void invite(TestUser member, TestUser user, String room) {
        member.as().body("{\"userId\":\"" + user.id() + "\"}").post("/api/rooms/" + room + "/invitations").then().statusCode(204);
    }

    /**
     * Nothing else was published on any of the buses: once the unread counts owed for earlier messages are handed to
     * the publisher, a marker on each bus must be the next thing there.
     */
    private static void assertNothingMore(String why, Bus... buses) throws Exception {
        UnreadRounds.awaitPassed();
        for (Bus bus : buses) {
            assertEquals(List.of(), bus.nextUntilMarker(), why);
        }
    }

    private static void expectUnread(Bus bus, String field, String id, long unread) throws Exception {
        Bus.Frame frame = expect(bus, "unread");
        assertEquals(id, frame.data().path(field).asText(), frame.data().toString());
        assertEquals(unread, frame.data().path("unread").asLong(), frame.data().toString());
    }

    /**
     * Unread events after sends come once per round (UnreadCounts) with the count then: messages sent close together
     * may be told as one, and a message committed while a round runs may be told by that round and again by the
     * next with the same count. So once every round owed has run: one or more counts, none lower than the one
     * before, the last {@code unread}.
     */
    private static void expectUnreadRisingTo(Bus bus, String field, String id, long unread) throws Exception {
        UnreadRounds.awaitPassed();
        List<Bus.Frame> told = bus.nextUntilMarker();
        assertFalse(told.isEmpty(), "the reader is told");
        long last = 0;
        for (Bus.Frame frame : told) {
            assertEquals("unread", frame.event(), frame.data().toString());
            assertEquals(id, frame.data().path(field).asText(), frame.data().toString());
            long count = frame.data().path("unread").asLong();
            assertTrue(count >= last && count <= unread, "counts rise to " + unread + ": " + told);
            last = count;
        }
        assertEquals(unread, last, "the last count: " + told);
    }

    @Test
    void publicRoomLifeReachesTheDirectoryAndItsMembers() throws Exception {
        TestUser ana = TestUser.create("ana");
        TestUser bob = TestUser.create("bob");
        try (Bus directory = bus("rooms-directory"); Bus anaBus = userBus(ana); Bus bobBus = userBus(bob)) {
            String room = RoomResourceTest.createRoom(ana, "lobby", "public");
            Bus.Frame created = expect(directory, "room_created");
            assertEquals(room, created.data().path("id").asText());
            assertEquals("lobby", created.data().path("name").asText());
            Bus.Frame mine = expect(anaBus, "membership_changed");
            assertEquals(room, mine.data().path("room").path("id").asText());
            assertTrue(mine.data().path("member").asBoolean());

            bob.as().put("/api/rooms/" + room + "/members/me").then().statusCode(200);
            bob.as().put("/api/rooms/" + room + "/members/me").then().statusCode(200); // again: no news
            assertTrue(expect(bobBus, "membership_changed").data().path("member").asBoolean());
            expectUnread(anaBus, "roomId", room, 1); // "bob joined"

            String hello = send(bob, "/api/rooms/" + room, "hello");
            expectUnread(anaBus, "roomId", room, 2);
            ana.as().body("{\"messageId\":\"" + hello + "\"}").put("/api/rooms/" + room + "/cursor").then().statusCode(200);
            expectUnread(anaBus, "roomId", room, 0);
            send(ana, "/api/rooms/" + room, "hi bob");
            expectUnread(bobBus, "roomId", room, 2); // "ana created the room" and "hi bob": bob has read nothing

            ana.as().body("{\"name\":\"hall\",\"topic\":\"\"}").patch("/api/rooms/" + room).then().statusCode(200);
            ana.as().body("{\"name\":\"hall\"}").patch("/api/rooms/" + room).then().statusCode(200); // unchanged: no news
            Bus.Frame renamed = expect(directory, "room_renamed");
            assertEquals("hall", renamed.data().path("name").asText());
            assertEquals("hall", expect(anaBus, "room_renamed").data().path("name").asText());
            assertEquals("hall", expect(bobBus, "room_renamed").data().path("name").asText());

            bob.as().delete("/api/rooms/" + room + "/members/me").then().statusCode(204);
            assertTrue(!expect(bobBus, "membership_changed").data().path("member").asBoolean());
            expectUnread(anaBus, "roomId", room, 1); // "bob left"

            ana.as().delete("/api/rooms/" + room).then().statusCode(204);
            assertEquals(room, expect(directory, "room_deleted").data().path("roomId").asText());
            assertEquals(room, expect(anaBus, "room_deleted").data().path("roomId").asText());
            ana.as().get("/api/rooms/" + room).then().statusCode(404);

            assertNothingMore("each change once", directory, anaBus, bobBus);
        }
    }

    @Test
    void invitationsAndPrivateRoomsStayOffTheDirectory() throws Exception {
        TestUser ana = TestUser.create("ana");
        TestUser carl = TestUser.create("carl");
        try (Bus directory = bus("rooms-directory"); Bus carlBus = userBus(carl)) {
            String room = RoomResourceTest.createRoom(ana, "secret", "private");
            invite(ana, carl, room);
            invite(ana, carl, room);
            Bus.Frame invitation = expect(carlBus, "room_invitation");
            assertEquals(room, invitation.data().path("room").path("id").asText());
            assertEquals("secret", invitation.data().path("room").path("name").asText());
            assertEquals(ana.idText(), invitation.data().path("invitedBy").asText());

            carl.as().delete("/api/rooms/" + room + "/invitations/me").then().statusCode(204);
            assertEquals(room, expect(carlBus, "invitation_removed").data().path("roomId").asText());
            invite(ana, carl, room);
            expect(carlBus, "room_invitation");
            carl.as().put("/api/rooms/" + room + "/members/me").then().statusCode(200);
            assertEquals(room, expect(carlBus, "invitation_removed").data().path("roomId").asText());
            assertTrue(expect(carlBus, "membership_changed").data().path("member").asBoolean());

            assertNothingMore("private rooms are not listed, each change once", directory, carlBus);
        }
    }

    @Test
    void directMessagesCountUnreadForTheReader() throws Exception {
        TestUser ana = TestUser.create("ana");
        TestUser bob = TestUser.create("bob");
        FakeUserService.befriend(ana.id(), bob.id());
        try (Bus anaBus = userBus(ana); Bus bobBus = userBus(bob)) {
            send(ana, "/api/conversations/" + bob.id(), "one");
            String two = send(ana, "/api/conversations/" + bob.id(), "two");
            expectUnreadRisingTo(bobBus, "userId", ana.idText(), 2); // "2", "1" then "2", or "2" twice
            bob.as().body("{\"messageId\":\"" + two + "\"}").put("/api/conversations/" + ana.id() + "/cursor").then().statusCode(200);
            expectUnread(bobBus, "userId", ana.idText(), 0);
            assertNothingMore("the author's own messages are not unread for them, each change once", anaBus, bobBus);
        }
    }

    @Test
    void badChangesAreProblemsAndPublishNothing() throws Exception {
        TestUser ana = TestUser.create("ana");
        TestUser bob = TestUser.create("bob");
        String room = RoomResourceTest.createRoom(ana, "mine", "public");
        try (Bus directory = bus("rooms-directory"); Bus anaBus = userBus(ana)) {
            Problems.assertProblem(bob.as().body("{\"name\":\"taken\"}").patch("/api/rooms/" + room), 403, "forbidden");
            Problems.assertProblem(bob.as().delete("/api/rooms/" + room), 403, "forbidden");
            Problems.assertProblem(ana.as().body("{}").patch("/api/rooms/" + room), 400, "bad-request");
            Problems.assertProblem(ana.as().body("{\"name\":\"  \"}").patch("/api/rooms/" + room), 400, "bad-request");
            Problems.assertProblem(ana.as().body("{\"name\":\"" + "x".repeat(81) + "\"}").patch("/api/rooms/" + room), 400, "validation", "name");
            Problems.assertProblem(ana.as().body("not json").patch("/api/rooms/" + room), 400, "bad-request");
            Problems.assertProblem(ana.as().delete("/api/rooms/999999999"), 404, "not-found");
            Problems.assertProblem(ana.as().body("{\"userId\":\"x\"}").post("/api/rooms/" + room + "/invitations"), 400, "validation", "userId");
            assertNothingMore("refused changes are not news", directory, anaBus);
        }
    }
}
