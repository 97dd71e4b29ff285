package io.presence.message;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agroal.api.AgroalDataSource;
import io.presence.common.app.AppRegistry;
import io.presence.common.budget.BudgetsConfig;
import io.presence.common.store.PresenceStoreConfig;
import io.presence.common.testing.BudgetTests;
import io.presence.common.testing.Problems;
import io.presence.message.repository.RoomMirror;
import io.presence.message.service.RoomService;
import io.presence.testsupport.FakeUserService;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(MessageStores.class)
@WithTestResource(FakeUserService.class)
class RoomResourceTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    RedisDataSource redis;

    @Inject
    PresenceStoreConfig store;

    @Inject
    AppRegistry apps;

    @Inject
    RoomMirror mirror;

    /** The rooms of a user as the presence store holds them (what presence visibility reads). */
    private Set<String> mirrored(TestUser user) {
        return redis.set(String.class).smembers(store.schema().rooms(apps.mainId(), user.idText()));
    }

    @Test
    void membershipIsMirroredForPresenceVisibilityFromCreationToDeletion() {
        TestUser ana = TestUser.create("ana");
        TestUser bob = TestUser.create("bob");
        String kept = createRoom(ana, "kept", "public");
        String room = createRoom(ana, "mirrored", "public");
        assertEquals(Set.of(kept, room), mirrored(ana));
        bob.as().put("/api/rooms/" + room + "/members/me").then().statusCode(200);
        assertEquals(Set.of(room), mirrored(bob));
        bob.as().delete("/api/rooms/" + room + "/members/me").then().statusCode(204);
        assertEquals(Set.of(), mirrored(bob));
        bob.as().put("/api/rooms/" + room + "/members/me").then().statusCode(200);
        ana.as().delete("/api/rooms/" + room).then().statusCode(204);
        assertEquals(Set.of(kept), mirrored(ana), "a deleted room leaves every member's set");
        assertEquals(Set.of(), mirrored(bob), "a deleted room leaves every member's set");

        // what Redis lost or holds wrongly is repaired by a resync
        redis.key().del(store.schema().rooms(apps.mainId(), ana.idText()));
        redis.set(String.class).sadd(store.schema().rooms(apps.mainId(), bob.idText()), "999999999");
        mirror.resync();
        assertEquals(Set.of(kept), mirrored(ana));
        assertEquals(Set.of(), mirrored(bob));
    }

    static String createRoom(TestUser owner, String name, String visibility) {
        return owner.as().body("{\"name\":\"" + name + "\",\"visibility\":\"" + visibility + "\",\"topic\":\"about " + name + "\"}")
                .post("/api/rooms").then().statusCode(201).extract().path("id");
    }

    @Test
    void listsOnlyPublicRoomsByName() throws SQLException {
        try (var c = dataSource.getConnection(); var s = c.createStatement()) {
            s.execute("INSERT INTO messages.rooms (name, visibility, topic, created_by) VALUES "
                    + "('zebra', 'public', null, 1), ('Alpha', 'public', 'first', 1), ('secret', 'private', null, 2)");
        }
        given().get("/api/rooms")
                .then().statusCode(200)
                .body("rooms.name", hasItem("Alpha"))
                .body("rooms.find { it.name == 'Alpha' }.topic", equalTo("first"))
                .body("rooms.name", not(hasItem("secret")));
    }

    @Test
    void answersMembershipForUserService() throws SQLException {
        try (var c = dataSource.getConnection(); var s = c.createStatement()) {
            s.execute("INSERT INTO messages.rooms (name, visibility, created_by) VALUES ('members', 'private', 7)");
            s.execute("INSERT INTO messages.room_members (room_id, user_id) "
                    + "SELECT id, 7 FROM messages.rooms WHERE name = 'members'");
        }
        long room;
        try (var c = dataSource.getConnection(); var s = c.createStatement();
             var r = s.executeQuery("SELECT id FROM messages.rooms WHERE name = 'members'")) {
            r.next();
            room = r.getLong(1);
        }
        TestUser.service().get("/internal/rooms/" + room + "/members/7").then().statusCode(204);
        TestUser.service().get("/internal/rooms/" + room + "/members/8").then().statusCode(404).contentType("application/problem+json");
        TestUser.service().get("/internal/rooms/999999/members/7").then().statusCode(404);
        TestUser.service().get("/internal/rooms/abc/members/7").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void publicRoomsAreCreatedJoinedAndLeftWithSystemMessages() {
        TestUser ana = TestUser.create("ana");
        TestUser bob = TestUser.create("bob");
        var created = ana.as().body("{\"name\":\"  Lounge \",\"visibility\":\"public\"}").post("/api/rooms");
        created.then().statusCode(201)
                .body("name", equalTo("Lounge"))
                .body("topic", equalTo(null))
                .body("createdBy", equalTo(ana.idText()));
        String room = created.path("id");
        created.then().header("Location", endsWith("/api/rooms/" + room)).body("channel", equalTo("presence-room-" + room));
        given().get("/api/rooms").then().body("rooms.id", hasItem(room));

        bob.as().get("/api/rooms/" + room).then().statusCode(200).body("visibility", equalTo("public"));
        bob.as().put("/api/rooms/" + room + "/members/me").then().statusCode(200).body("id", equalTo(room));
        bob.as().put("/api/rooms/" + room + "/members/me").then().statusCode(200); // idempotent: no second "joined"
        TestUser.service().get("/internal/rooms/" + room + "/members/" + bob.id()).then().statusCode(204);

        ana.as().get("/api/rooms/" + room + "/members").then().statusCode(200)
                .body("members.userId", contains(ana.idText(), bob.idText()))
                .body("members.handle", contains(ana.handle(), bob.handle()))
                .body("members[0].lastReadMessageId", equalTo("0"));
        bob.as().get("/api/rooms/" + room + "/messages").then().statusCode(200)
                .body("messages.text", contains(ana.handle() + " created the room", bob.handle() + " joined"))
                .body("messages.kind", contains("system", "system"))
                .body("messages[1].author.id", equalTo(bob.idText()))
                .body("nextBefore", equalTo(null));

        bob.as().delete("/api/rooms/" + room + "/members/me").then().statusCode(204);
        bob.as().delete("/api/rooms/" + room + "/members/me").then().statusCode(204); // idempotent
        TestUser.service().get("/internal/rooms/" + room + "/members/" + bob.id()).then().statusCode(404);
        ana.as().get("/api/rooms/" + room + "/messages").then()
                .body("messages.text", contains(ana.handle() + " created the room", bob.handle() + " joined", bob.handle() + " left"));
        bob.as().get("/api/rooms/" + room + "/messages").then().statusCode(403).contentType("application/problem+json");
        bob.as().body("{\"text\":\"hi\",\"clientMessageId\":\"k1\"}").post("/api/rooms/" + room + "/messages")
                .then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("urn:presence:problem:forbidden"));
    }

    @Inject
    BudgetsConfig budgets;

    @Test
    void invitationsPerUserAreBudgetedAtTheRealDefault() {
        // the test profile keeps the default every deployment gets: 30 at once, then one each 2 min
        BudgetsConfig.Budget budget = BudgetTests.assertDefault(budgets, RoomService.INVITATION_BUDGET, 30, Duration.ofHours(1));
        TestUser ana = TestUser.create("ana");
        String room = createRoom(ana, "guests", "private");
        for (int i = 0; i < budget.limit(); i++) {
            ana.as().body("{\"userId\":\"" + TestUser.create("guest").id() + "\"}").post("/api/rooms/" + room + "/invitations")
                    .then().statusCode(204);
        }
        TestUser late = TestUser.create("late");
        Problems.assertRateLimited(ana.as().body("{\"userId\":\"" + late.id() + "\"}").post("/api/rooms/" + room + "/invitations"),
                100, 120);
        late.as().get("/api/rooms/invitations").then().statusCode(200).body("invitations", empty());
    }

    @Test
    void privateRoomsAreJoinedByInvitationOnly() {
        TestUser ana = TestUser.create("ana");
        TestUser bob = TestUser.create("bob");
        TestUser eve = TestUser.create("eve");
        String room = createRoom(ana, "council", "private");
        given().get("/api/rooms").then().body("rooms.id", not(hasItem(room)));

        bob.as().get("/api/rooms/" + room).then().statusCode(403).contentType("application/problem+json");
        bob.as().put("/api/rooms/" + room + "/members/me").then().statusCode(403).contentType("application/problem+json");
        bob.as().get("/api/rooms/" + room + "/members").then().statusCode(403);
        eve.as().body("{\"userId\":\"" + bob.id() + "\"}").post("/api/rooms/" + room + "/invitations")
                .then().statusCode(403); // only members invite

        ana.as().body("{\"userId\":\"" + bob.id() + "\"}").post("/api/rooms/" + room + "/invitations").then().statusCode(204);
        ana.as().body("{\"userId\":\"" + bob.id() + "\"}").post("/api/rooms/" + room + "/invitations").then().statusCode(204);
        bob.as().get("/api/rooms/invitations").then().statusCode(200)
                .body("invitations.room.id", contains(room))
                .body("invitations[0].invitedBy", equalTo(ana.idText()))
                .body("invitations[0].room.channel", equalTo("presence-room-" + room));
        bob.as().get("/api/rooms/" + room).then().statusCode(200).body("name", equalTo("council"));
        bob.as().put("/api/rooms/" + room + "/members/me").then().statusCode(200);
        bob.as().get("/api/rooms/invitations").then().body("invitations", empty());
        ana.as().body("{\"userId\":\"" + bob.id() + "\"}").post("/api/rooms/" + room + "/invitations")
                .then().statusCode(409).contentType("application/problem+json");

        // a user who blocked the inviter cannot be invited by them
        FakeUserService.BLOCKS.add(eve.id() + "/" + ana.id());
        ana.as().body("{\"userId\":\"" + eve.id() + "\"}").post("/api/rooms/" + room + "/invitations")
                .then().statusCode(403).contentType("application/problem+json");

        // an invitation can be declined
        TestUser cy = TestUser.create("cy");
        bob.as().body("{\"userId\":\"" + cy.id() + "\"}").post("/api/rooms/" + room + "/invitations").then().statusCode(204);
        cy.as().delete("/api/rooms/" + room + "/invitations/me").then().statusCode(204);
        cy.as().put("/api/rooms/" + room + "/members/me").then().statusCode(403);
    }

    @Test
    void myRoomsCarryUnreadCounts() {
        TestUser ana = TestUser.create("ana");
        TestUser bob = TestUser.create("bob");
        String room = createRoom(ana, "unread", "public");
        bob.as().put("/api/rooms/" + room + "/members/me").then().statusCode(200);
        for (int i = 0; i < 3; i++) {
            ana.as().body("{\"text\":\"m" + i + "\",\"clientMessageId\":\"" + TestUser.newKey() + "\"}")
                    .post("/api/rooms/" + room + "/messages").then().statusCode(201);
        }
        // bob sees ana's three messages as unread (his own "joined" and ana's "created" before his join count too: 1)
        bob.as().get("/api/rooms/mine").then().statusCode(200)
                .body("rooms.room.id", contains(room))
                .body("rooms[0].unread", equalTo(4))
                .body("rooms[0].lastReadMessageId", equalTo("0"));
        ana.as().get("/api/rooms/mine").then().body("rooms[0].unread", equalTo(1)); // bob's "joined"
    }

    @Test
    void badInputIsAProblemNeverAServerError() {
        TestUser ana = TestUser.create("ana");
        ana.as().body("{\"visibility\":\"secret\"}").post("/api/rooms").then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:presence:problem:validation"))
                .body("errors.field", contains("name", "visibility"));
        ana.as().body("{\"name\":\"" + "x".repeat(81) + "\",\"visibility\":\"public\"}").post("/api/rooms").then().statusCode(400);
        ana.as().body("{nope").post("/api/rooms").then().statusCode(400).contentType("application/problem+json");
        ana.as().get("/api/rooms/999999").then().statusCode(404).contentType("application/problem+json");
        ana.as().put("/api/rooms/999999/members/me").then().statusCode(404).contentType("application/problem+json");
        ana.as().get("/api/rooms/999999/messages").then().statusCode(404).contentType("application/problem+json");
        ana.as().get("/api/rooms/abc/messages").then().statusCode(404).contentType("application/problem+json");
        ana.as().body("{\"userId\":\"bob\"}").post("/api/rooms/1/invitations").then().statusCode(400);
        given().contentType(ContentType.JSON).body("{\"name\":\"x\",\"visibility\":\"public\"}").post("/api/rooms")
                .then().statusCode(401).contentType("application/problem+json")
                .body("type", equalTo("urn:presence:problem:unauthorized"));
        given().header("Authorization", "Bearer forged").get("/api/rooms/mine")
                .then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void readinessChecksPostgresButNotRedis() {
        given().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("Database connections health check"))
                .body("checks.name", not(hasItem("Redis connection health check")));
    }

    @Test
    void unknownRoutesAreProblems() {
        given().get("/api/rooms/1/nothing")
                .then().statusCode(404)
                .contentType("application/problem+json");
    }
}
