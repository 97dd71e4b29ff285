package io.presence.presence;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import io.presence.presence.repository.PresenceKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(PresenceStores.class)
class PresenceResourceTest {

    @Inject
    RedisDataSource redis;

    @Inject
    PresenceKeys keys;

    @Test
    void aConnectedUserIsOnlineWithTheirStatus() {
        String id = UUID.randomUUID().toString();
        redis.hash(String.class).hset(keys.user(id), Map.of("connections", "2", "status", "busy", "text", "in a meeting"));
        given().get("/api/presence/users/" + id)
                .then().statusCode(200)
                .body("userId", equalTo(id))
                .body("online", equalTo(true))
                .body("status", equalTo("busy"))
                .body("text", equalTo("in a meeting"));
        redis.key().del(keys.user(id));
    }

    @Test
    void anUnknownUserIsOfflineAndNeverSeen() {
        given().get("/api/presence/users/nobody")
                .then().statusCode(200)
                .body("online", equalTo(false))
                .body("status", equalTo("offline"))
                .body("lastSeen", nullValue());
    }

    @Test
    void aDisconnectedUserShowsLastSeen() {
        String id = UUID.randomUUID().toString();
        redis.hash(String.class).hset(keys.user(id), Map.of("connections", "0", "lastSeen", "1700000000000"));
        given().get("/api/presence/users/" + id)
                .then().statusCode(200)
                .body("online", equalTo(false))
                .body("lastSeen", equalTo("2023-11-14T22:13:20Z"));
        redis.key().del(keys.user(id));
    }

    @Test
    void anInvalidIdIsABadRequest() {
        given().get("/api/presence/users/a%20b")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:presence:problem:validation"));
    }

    @Test
    void readinessChecksRedis() {
        given().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("Redis connection health check"));
    }
}
