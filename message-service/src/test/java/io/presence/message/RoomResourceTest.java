package io.presence.message;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(MessageStores.class)
class RoomResourceTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void listsOnlyPublicRoomsByName() throws SQLException {
        try (var c = dataSource.getConnection(); var s = c.createStatement()) {
            s.execute("INSERT INTO messages.rooms (name, visibility, topic, created_by) VALUES "
                    + "('zebra', 'public', null, 1), ('Alpha', 'public', 'first', 1), ('secret', 'private', null, 2)");
        }
        given().get("/api/rooms")
                .then().statusCode(200)
                .body("rooms.name", contains("Alpha", "zebra"))
                .body("rooms[0].topic", equalTo("first"))
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
        given().get("/internal/rooms/" + room + "/members/7").then().statusCode(204);
        given().get("/internal/rooms/" + room + "/members/8").then().statusCode(404).contentType("application/problem+json");
        given().get("/internal/rooms/999999/members/7").then().statusCode(404);
        given().get("/internal/rooms/abc/members/7").then().statusCode(404).contentType("application/problem+json");
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
