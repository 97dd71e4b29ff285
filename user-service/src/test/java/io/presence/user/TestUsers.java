package io.presence.user;

import static io.restassured.RestAssured.given;

import io.presence.testsupport.FakeHttpService;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.UUID;

/** Registers and logs in users with unique handles, for tests. */
final class TestUsers {

    static final String PASSWORD = "correct horse";

    /** A registered, logged-in user. */
    record User(String id, String handle, String token) {

        RequestSpecification as() {
            return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON);
        }
    }

    private TestUsers() {
    }

    /** The shared service token of the test profile (%test.internal.token). */
    static final String SERVICE_TOKEN = FakeHttpService.SERVICE_TOKEN;

    /** A request as another service of the suite makes it, with the service token. */
    static RequestSpecification service() {
        return given().header("X-Internal-Token", SERVICE_TOKEN);
    }

    static String uniqueHandle(String base) {
        return base + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    static User newUser(String base) {
        String handle = uniqueHandle(base);
        String id = given().contentType(ContentType.JSON)
                .body("{\"handle\":\"" + handle + "\",\"password\":\"" + PASSWORD + "\",\"status\":\"hello\"}")
                .post("/api/users").then().statusCode(201).extract().path("id");
        return new User(id, handle, login(handle));
    }

    static String login(String handle) {
        return given().contentType(ContentType.JSON)
                .header("X-Forwarded-For", "10.0.0." + (1 + (handle.hashCode() & 0x7f)))
                .body("{\"handle\":\"" + handle + "\",\"password\":\"" + PASSWORD + "\"}")
                .post("/api/sessions").then().statusCode(201).extract().path("token");
    }
}
