package io.presence.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.presence.common.testing.Bus;
import io.presence.testsupport.FakeUserService;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 30: a reader told the unread cap is not counted again for more messages, and is counted again once their
 * cursor moves or a message of the place is deleted (with the cap at 3 here).
 */
@QuarkusTest
@TestProfile(CappedUnreadTest.CapOfThree.class)
@WithTestResource(MessageStores.class)
@WithTestResource(FakeUserService.class)
class CappedUnreadTest {

    /** Unread counts capped at 3. */
    public static class CapOfThree implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("messages.unread-cap", "3");
        }
    }

    private static String send(TestUser user, String room, String text) {
        return user.as().body("{\"text\":\"" + text + "\",\"clientMessageId\":\"" + TestUser.newKey() + "\"}")
                .post("/api/rooms/" + room + "/messages").then().statusCode(201).extract().path("id");
    }

    /** Every unread count told since the last call, once the rounds owed for earlier messages have run. */
    private static List<Long> told(Bus bus) throws Exception {
        UnreadRounds.awaitPassed();
        return bus.nextUntilMarker().stream().peek(f -> assertEquals("unread", f.event(), f.data().toString()))
                .map(f -> f.data().path("unread").asLong()).toList();
    }

    @Test
    void readersAtTheCapAreCountedAgainOnlyAfterTheirCursorOrADeleteMoves() throws Exception {
        TestUser ana = TestUser.create("ana");
        TestUser bob = TestUser.create("bob");
        String room = ana.as().body("{\"name\":\"capped\",\"visibility\":\"public\"}").post("/api/rooms")
                .then().statusCode(201).extract().path("id");
        bob.as().put("/api/rooms/" + room + "/members/me").then().statusCode(200);
        try (Bus bobs = Bus.listen("private-user-" + bob.id())) {
            for (int i = 0; i < 3; i++) {
                send(ana, room, "m" + i);
            }
            List<Long> counts = told(bobs);
            assertFalse(counts.isEmpty());
            assertEquals(3, counts.get(counts.size() - 1), "counts " + counts);

            send(ana, room, "more");
            String last = send(ana, room, "and more");
            assertEquals(List.of(), told(bobs), "at the cap, more messages tell nothing");

            bob.as().body("{\"messageId\":\"" + last + "\"}").put("/api/rooms/" + room + "/cursor").then().statusCode(200);
            assertEquals(List.of(0L), told(bobs), "the cursor move tells the reader");
            send(ana, room, "after reading");
            assertEquals(List.of(1L), told(bobs), "counted again after the cursor moved");

            send(ana, room, "two");
            String third = send(ana, room, "three");
            counts = told(bobs);
            assertEquals(3, counts.get(counts.size() - 1), "counts " + counts);
            ana.as().delete("/api/rooms/" + room + "/messages/" + third).then().statusCode(204);
            send(ana, room, "after a delete");
            assertEquals(List.of(3L), told(bobs), "counted again after a delete");
        }
    }
}
