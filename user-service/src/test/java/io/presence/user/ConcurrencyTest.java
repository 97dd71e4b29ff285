package io.presence.user;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.presence.common.testing.Race;
import io.presence.testsupport.FakeMessageService;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Issue 17, item 4: operations that are idempotent (or conflict-checked) one after the other stay so when eight
 * identical ones race: the same answers as in sequence, one row, never a 500 from a unique index or a lost row.
 */
@QuarkusTest
@WithTestResource(UserStores.class)
@WithTestResource(FakeMessageService.class)
class ConcurrencyTest {

    private static final int RACERS = 8;

    private static Map<Integer, Long> race(Callable<Response> call) throws Exception {
        return Race.run(RACERS, call);
    }

    @Test
    void eightIdenticalBlocksAllSucceedAndLeaveOneBlock() throws Exception {
        TestUsers.User ana = TestUsers.newUser("ana");
        TestUsers.User eve = TestUsers.newUser("eve");
        Map<Integer, Long> answers = race(() -> ana.as().body("{\"handle\":\"" + eve.handle() + "\"}").post("/api/contacts/blocks"));
        assertEquals(Map.of(204, (long) RACERS), answers);
        ana.as().get("/api/contacts/blocks").then().body("blocked.handle", contains(eve.handle()));
        assertEquals(Map.of(204, (long) RACERS), race(() -> ana.as().delete("/api/contacts/blocks/" + eve.handle())));
        ana.as().get("/api/contacts/blocks").then().body("blocked", empty());
    }

    @Test
    void eightIdenticalContactRequestsMakeOneRequest() throws Exception {
        TestUsers.User ana = TestUsers.newUser("ana");
        TestUsers.User bob = TestUsers.newUser("bob");
        Map<Integer, Long> answers = race(() -> ana.as().body("{\"to\":\"" + bob.handle() + "\"}").post("/api/contacts/requests"));
        assertEquals(Map.of(201, 1L, 409, (long) RACERS - 1), answers);
        bob.as().get("/api/contacts/requests").then().body("requests.from.handle", contains(ana.handle()));
    }

    @Test
    void requestsBothWaysAtOnceEndAsOneAcceptedContact() throws Exception {
        TestUsers.User ana = TestUsers.newUser("ana");
        TestUsers.User bob = TestUsers.newUser("bob");
        Function<Integer, Response> ask = i -> (i % 2 == 0 ? ana : bob).as()
                .body("{\"to\":\"" + (i % 2 == 0 ? bob : ana).handle() + "\"}").post("/api/contacts/requests");
        int[] turn = {0};
        Map<Integer, Long> answers = race(() -> ask.apply(next(turn)));
        assertEquals(1L, answers.get(201), "exactly one request is created: " + answers);
        assertTrue(answers.getOrDefault(200, 0L) >= 1, "asking back accepts it: " + answers);
        ana.as().get("/api/contacts").then().body("contacts.user.handle", contains(bob.handle()));
    }

    @Test
    void racingAcceptsAllAnswerTheAcceptedRequestAndRacingRemovesDeleteOnce() throws Exception {
        TestUsers.User ana = TestUsers.newUser("ana");
        TestUsers.User bob = TestUsers.newUser("bob");
        String id = request(ana, bob);
        assertEquals(Map.of(200, (long) RACERS), race(() -> bob.as().post("/api/contacts/requests/" + id + "/accept")));
        bob.as().post("/api/contacts/requests/" + id + "/accept").then().statusCode(200).body("state", equalTo("accepted"));
        Map<Integer, Long> removed = race(() -> bob.as().delete("/api/contacts/" + ana.handle()));
        assertEquals(Map.of(204, 1L, 404, (long) RACERS - 1), removed);
    }

    @Test
    void racingDeclinesAndRegistrationsNeverFail() throws Exception {
        TestUsers.User ana = TestUsers.newUser("ana");
        TestUsers.User bob = TestUsers.newUser("bob");
        String id = request(ana, bob);
        assertEquals(Map.of(204, 1L, 404, (long) RACERS - 1), race(() -> bob.as().post("/api/contacts/requests/" + id + "/decline")));
        String handle = TestUsers.uniqueHandle("twin");
        Map<Integer, Long> registered = race(() -> io.restassured.RestAssured.given().contentType("application/json")
                .body("{\"handle\":\"" + handle + "\",\"password\":\"long enough\"}").post("/api/users"));
        assertEquals(Map.of(201, 1L, 409, (long) RACERS - 1), registered);
    }

    /** A pending request from one to the other; its id. */
    private static String request(TestUsers.User from, TestUsers.User to) {
        return from.as().body("{\"to\":\"" + to.handle() + "\"}").post("/api/contacts/requests").then().statusCode(201)
                .extract().path("id");
    }

    private static synchronized int next(int[] turn) {
        return turn[0]++;
    }
}
