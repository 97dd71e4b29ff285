package io.presence.message;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.presence.testsupport.FakeUserService;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Issue 17, item 7: a new room's Location is the public URL the gateway forwarded, never the backend's address. */
@QuarkusTest
@WithTestResource(MessageStores.class)
@WithTestResource(FakeUserService.class)
class ForwardingTest {

    @Test
    void locationCarriesTheForwardedSchemeHostAndPort() {
        TestUser ana = TestUser.create("ana");
        var created = ana.as().header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "chat.example.com")
                .header("X-Forwarded-Port", "443").header("X-Forwarded-For", "203.0.113.5")
                .body("{\"name\":\"public url\",\"visibility\":\"public\"}").post("/api/rooms");
        created.then().statusCode(201).header("Location", equalTo("https://chat.example.com/api/rooms/" + created.path("id")));
        var local = ana.as().header("X-Forwarded-Proto", "http").header("X-Forwarded-Host", "localhost:8080")
                .header("X-Forwarded-Port", "8080")
                .body("{\"name\":\"dev url\",\"visibility\":\"public\"}").post("/api/rooms");
        local.then().statusCode(201).header("Location", equalTo("http://localhost:8080/api/rooms/" + local.path("id")));
        ana.as().body("{\"name\":\"direct\",\"visibility\":\"public\"}").post("/api/rooms")
                .then().statusCode(201).header("Location", startsWith("http://localhost:"));
    }
}
