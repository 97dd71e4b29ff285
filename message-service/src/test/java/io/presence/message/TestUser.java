package io.presence.message;

import static io.restassured.RestAssured.given;

import io.presence.testsupport.FakeHttpService;
import io.presence.testsupport.FakeUserService;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.UUID;

/** A test user known to {@link FakeUserService}. */
record TestUser(long id, String handle) {

    static TestUser create(String base) {
        long id = FakeUserService.newUserId();
        return new TestUser(id, base + id);
    }

    String token() {
        return FakeUserService.token(id, handle);
    }

    String idText() {
        return Long.toString(id);
    }

    RequestSpecification as() {
        return given().header("Authorization", "Bearer " + token()).contentType(ContentType.JSON);
    }

    /** The shared service token of the test profile (%test.internal.token). */
    static final String SERVICE_TOKEN = FakeHttpService.SERVICE_TOKEN;

    /** A request as another service of the suite makes it, with the service token. */
    static RequestSpecification service() {
        return given().header("X-Internal-Token", SERVICE_TOKEN);
    }

    static String newKey() {
        return UUID.randomUUID().toString();
    }
}
