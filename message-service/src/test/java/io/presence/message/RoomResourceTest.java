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
