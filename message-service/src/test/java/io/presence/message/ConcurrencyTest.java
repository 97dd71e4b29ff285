package io.presence.message;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.presence.common.testing.Race;
import io.presence.testsupport.FakeUserService;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 17, item 4: joins, leaves, invitations, cursor moves and sends that are idempotent one after the other stay
 * so when eight identical ones race: the same answers as in sequence, one row, one system message, never a 500.
 */
@QuarkusTest
@WithTestResource(MessageStores.class)
@WithTestResource(FakeUserService.class)
class ConcurrencyTest {

    private static final int RACERS = 8;

    private static String room(TestUser owner, String visibility) {
        return owner.as().body("{\"name\":\"race\",\"visibility\":\"" + visibility + "\"}").post("/api/rooms")
                .then().statusCode(201).extract().path("id");
    }

    @Test
    void eightIdenticalJoinsMakeOneMemberAndOneJoinedMessage() throws Exception {
        TestUser ana = TestUser.create("ana");
        TestUser bob = TestUser.create("bob");
        String room = room(ana, "public");
        assertEquals(Map.of(200, (long) RACERS), Race.run(RACERS, () -> bob.as().put("/api/rooms/" + room + "/members/me")));
        ana.as().get("/api/rooms/" + room + "/members").then().body("members.userId", contains(ana.idText(), bob.idText()));
        ana.as().get("/api/rooms/" + room + "/messages").then()
                .body("messages.text", contains(ana.handle() + " created the room", bob.handle() + " joined"));
        assertEquals(Map.of(204, (long) RACERS), Race.run(RACERS, () -> bob.as().delete("/api/rooms/" + room + "/members/me")));
        ana.as().get("/api/rooms/" + room + "/messages").then().body("messages", hasSize(3));
    }

    @Test
    void eightJoinsOnOneInvitationAllGetIn() throws Exception {
        TestUser ana = TestUser.create("ana");
        TestUser bob = TestUser.create("bob");
        String room = room(ana, "private");
        ana.as().body("{\"userId\":\"" + bob.id() + "\"}").post("/api/rooms/" + room + "/invitations").then().statusCode(204);
        assertEquals(Map.of(200, (long) RACERS), Race.run(RACERS, () -> bob.as().put("/api/rooms/" + room + "/members/me")));
        ana.as().get("/api/rooms/" + room + "/members").then().body("members.userId", contains(ana.idText(), bob.idText()));
    }

    @Test
    void eightIdenticalInvitationsAndDeclinesNeverFail() throws Exception {
        TestUser ana = TestUser.create("ana");
        TestUser bob = TestUser.create("bob");
        String room = room(ana, "private");
        assertEquals(Map.of(204, (long) RACERS), Race.run(RACERS,
                () -> ana.as().body("{\"userId\":\"" + bob.id() + "\"}").post("/api/rooms/" + room + "/invitations")));
        bob.as().get("/api/rooms/invitations").then().body("invitations.room.id", contains(room));
        assertEquals(Map.of(204, (long) RACERS), Race.run(RACERS, () -> bob.as().delete("/api/rooms/" + room + "/invitations/me")));
    }

    @Test
    void eightIdenticalCursorMovesEndOnThatMessage() throws Exception {
        TestUser ana = TestUser.create("ana");
        TestUser bob = TestUser.create("bob");
        String room = room(ana, "public");
        bob.as().put("/api/rooms/" + room + "/members/me").then().statusCode(200);
        String last = null;
        for (int i = 0; i < 3; i++) {
            last = ana.as().body("{\"text\":\"m" + i + "\",\"clientMessageId\":\"" + TestUser.newKey() + "\"}")
                    .post("/api/rooms/" + room + "/messages").then().statusCode(201).extract().path("id");
        }
        String target = last;
        assertEquals(Map.of(200, (long) RACERS), Race.run(RACERS,
                () -> bob.as().body("{\"messageId\":\"" + target + "\"}").put("/api/rooms/" + room + "/cursor")));
        bob.as().get("/api/rooms/" + room + "/cursor").then().body("messageId", equalTo(target)).body("unread", equalTo(0));
    }

    @Test
    void eightIdenticalSendsStoreOneMessage() throws Exception {
        TestUser ana = TestUser.create("ana");
        String room = room(ana, "public");
        String key = TestUser.newKey();
        Map<Integer, Long> answers = Race.run(RACERS, () -> ana.as()
                .body("{\"text\":\"once\",\"clientMessageId\":\"" + key + "\"}").post("/api/rooms/" + room + "/messages"));
        assertEquals(Map.of(201, 1L, 200, (long) RACERS - 1), answers);
        ana.as().get("/api/rooms/" + room + "/messages").then().body("messages.text", contains(ana.handle() + " created the room", "once"));
    }

    @Test
    void eightFirstMessagesOfAConversationOpenItOnce() throws Exception {
        TestUser ana = TestUser.create("ana");
        TestUser bob = TestUser.create("bob");
        FakeUserService.befriend(ana.id(), bob.id());
        Map<Integer, Long> answers = Race.run(RACERS, () -> ana.as()
                .body("{\"text\":\"hi\",\"clientMessageId\":\"" + TestUser.newKey() + "\"}").post("/api/conversations/" + bob.id() + "/messages"));
        assertEquals(Map.of(201, (long) RACERS), answers);
        ana.as().get("/api/conversations").then().body("conversations", hasSize(1));
    }
}
