package io.presence.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.presence.common.testing.Bus;
import io.presence.common.testing.Problems;
import io.presence.testsupport.FakeMessageService;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Contact changes reach both people on their own private-user channels, once each, in order, after the commit. */
@QuarkusTest
@WithTestResource(UserStores.class)
@WithTestResource(FakeMessageService.class)
class ContactEventsTest {

    private static String channel(TestUsers.User user) {
        return "private-user-" + user.id();
    }

    private Bus bus(TestUsers.User user) {
        return Bus.listen(channel(user));
    }

    private static String request(TestUsers.User from, TestUsers.User to) {
        return from.as().body("{\"to\":\"" + to.handle() + "\"}").post("/api/contacts/requests")
                .then().statusCode(201).extract().path("id");
    }

    private static void expect(Bus bus, String event, String requestId, TestUsers.User other, Boolean incoming) throws Exception {
        Bus.Frame frame = bus.next();
        assertEquals(event, frame.event());
        assertEquals(other.id(), frame.data().path("user").path("id").asText());
        assertEquals(other.handle(), frame.data().path("user").path("handle").asText());
        if (requestId == null) {
            assertTrue(frame.data().path("requestId").isMissingNode(), frame.data().toString());
        } else {
            assertEquals(requestId, frame.data().path("requestId").asText());
        }
        if (incoming == null) {
            assertTrue(frame.data().path("incoming").isMissingNode(), frame.data().toString());
        } else {
            assertEquals(incoming, frame.data().path("incoming").asBoolean());
        }
    }

    @Test
    void requestAcceptRemoveReachBothSidesOnceInOrder() throws Exception {
        TestUsers.User ana = TestUsers.newUser("ana");
        TestUsers.User bob = TestUsers.newUser("bob");
        try (Bus anaBus = bus(ana); Bus bobBus = bus(bob)) {
            String id = request(ana, bob);
            bob.as().post("/api/contacts/requests/" + id + "/accept").then().statusCode(200);
            bob.as().post("/api/contacts/requests/" + id + "/accept").then().statusCode(200); // again: no news
            ana.as().delete("/api/contacts/" + bob.handle()).then().statusCode(204);

            expect(bobBus, "contact_request", id, ana, true);
            expect(bobBus, "contact_accepted", id, ana, true);
            expect(bobBus, "contact_removed", null, ana, null);
            expect(anaBus, "contact_request", id, bob, false);
            expect(anaBus, "contact_accepted", id, bob, false);
            expect(anaBus, "contact_removed", null, bob, null);
            bobBus.expectNothing(); // each change once
            anaBus.expectNothing(); // each change once
        }
    }

    @Test
    void declineCancelAndBlocksAreTold() throws Exception {
        TestUsers.User ana = TestUsers.newUser("ana");
        TestUsers.User bob = TestUsers.newUser("bob");
        try (Bus anaBus = bus(ana); Bus bobBus = bus(bob)) {
            String first = request(ana, bob);
            bob.as().post("/api/contacts/requests/" + first + "/decline").then().statusCode(204);
            String second = request(ana, bob);
            ana.as().delete("/api/contacts/requests/" + second).then().statusCode(204);
            String third = request(ana, bob);
            bob.as().body("{\"handle\":\"" + ana.handle() + "\"}").post("/api/contacts/blocks").then().statusCode(204);
            bob.as().delete("/api/contacts/blocks/" + ana.handle()).then().statusCode(204);

            expect(anaBus, "contact_request", first, bob, false);
            expect(anaBus, "contact_declined", first, bob, false);
            expect(anaBus, "contact_request", second, bob, false);
            expect(anaBus, "contact_request_cancelled", second, bob, false);
            expect(anaBus, "contact_request", third, bob, false);
            // the blocked side sees its request end, never the block
            expect(anaBus, "contact_request_cancelled", third, bob, false);
            anaBus.expectNothing(); // ana is not told about the block or the unblock

            expect(bobBus, "contact_request", first, ana, true);
            expect(bobBus, "contact_declined", first, ana, true);
            expect(bobBus, "contact_request", second, ana, true);
            expect(bobBus, "contact_request_cancelled", second, ana, true);
            expect(bobBus, "contact_request", third, ana, true);
            Bus.Frame blocked = bobBus.next();
            assertEquals("block_changed", blocked.event());
            assertEquals(ana.handle(), blocked.data().path("user").path("handle").asText());
            assertTrue(blocked.data().path("blocked").asBoolean());
            expect(bobBus, "contact_request_cancelled", third, ana, true);
            Bus.Frame unblocked = bobBus.next();
            assertEquals("block_changed", unblocked.event());
            assertEquals(false, unblocked.data().path("blocked").asBoolean());
            bobBus.expectNothing(); // nothing else
        }
    }

    @Test
    void aDeletedAccountEndsItsContactsAndRequests() throws Exception {
        TestUsers.User ana = TestUsers.newUser("ana");
        TestUsers.User bob = TestUsers.newUser("bob");
        TestUsers.User carl = TestUsers.newUser("carl");
        String contact = request(ana, bob);
        bob.as().post("/api/contacts/requests/" + contact + "/accept").then().statusCode(200);
        try (Bus bobBus = bus(bob); Bus carlBus = bus(carl)) {
            String pending = request(carl, ana);
            expect(carlBus, "contact_request", pending, ana, false);
            ana.as().delete("/api/users/me").then().statusCode(204);
            expect(bobBus, "contact_removed", null, ana, null);
            expect(carlBus, "contact_request_cancelled", pending, ana, false);
            bobBus.expectNothing(); // each change once
            carlBus.expectNothing(); // each change once
        }
    }

    @Test
    void aRequestToSomeoneWhoBlockedYouIsToldToYouAsAnyOtherAndNeverToThem() throws Exception {
        TestUsers.User ana = TestUsers.newUser("ana");
        TestUsers.User eve = TestUsers.newUser("eve");
        ana.as().body("{\"handle\":\"" + eve.handle() + "\"}").post("/api/contacts/blocks").then().statusCode(204);
        try (Bus anaBus = bus(ana); Bus eveBus = bus(eve)) {
            String id = request(eve, ana);
            eve.as().delete("/api/contacts/requests/" + id).then().statusCode(204);
            String again = request(eve, ana);
            ana.as().delete("/api/users/me").then().statusCode(204); // the blocker's account goes: the request ends as any
            expect(eveBus, "contact_request", id, ana, false);
            expect(eveBus, "contact_request_cancelled", id, ana, false);
            expect(eveBus, "contact_request", again, ana, false);
            expect(eveBus, "contact_request_cancelled", again, ana, false);
            eveBus.expectNothing(); // each change once
            anaBus.expectNothing(); // the blocker hears of none
        }
    }

    @Test
    void refusedChangesPublishNothing() throws Exception {
        TestUsers.User ana = TestUsers.newUser("ana");
        TestUsers.User bob = TestUsers.newUser("bob");
        try (Bus anaBus = bus(ana); Bus bobBus = bus(bob)) {
            Problems.assertProblem(ana.as().body("{\"to\":\"" + ana.handle() + "\"}").post("/api/contacts/requests"), 400, "bad-request");
            Problems.assertProblem(ana.as().body("{\"to\":\"nobody-" + ana.id() + "\"}").post("/api/contacts/requests"), 404, "not-found");
            Problems.assertProblem(ana.as().body("{}").post("/api/contacts/requests"), 400, "validation", "to");
            Problems.assertProblem(bob.as().post("/api/contacts/requests/999999999/accept"), 404, "not-found");
            Problems.assertProblem(bob.as().delete("/api/contacts/" + ana.handle()), 404, "not-found");
            anaBus.expectNothing(); // refused changes are not news
            bobBus.expectNothing(); // refused changes are not news
        }
    }
}
