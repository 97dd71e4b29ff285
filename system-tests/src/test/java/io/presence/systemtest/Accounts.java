package io.presence.systemtest;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.UUID;

/** Registered, logged-in users of a running suite, reached through its gateway. */
final class Accounts {

    /** A user with a session token. */
    record Account(String id, String handle, String token, String gateway) {

        /** A REST call as this user. */
        RequestSpecification as() {
            return given().auth().oauth2(token).contentType(ContentType.JSON);
        }

        /** What the gateway's {@code /pusher/auth} signs for this user, this socket and channel. */
        JsonNode authorize(String socketId, String channel) throws Exception {
            String body = given().auth().oauth2(token).contentType(ContentType.URLENC)
                    .formParam("socket_id", socketId).formParam("channel_name", channel)
                    .post(gateway + "/pusher/auth").then().statusCode(200).extract().asString();
            return RawSocket.JSON.readTree(body);
        }
    }

    private Accounts() {
    }

    /** Registers and logs in a new user whose handle starts with {@code base}. */
    static Account register(String gateway, String base) {
        String handle = base + UUID.randomUUID().toString().substring(0, 8);
        String credentials = "{\"handle\":\"" + handle + "\",\"password\":\"long enough\"}";
        given().contentType(ContentType.JSON).body(credentials).post(gateway + "/api/users").then().statusCode(201);
        String token = given().contentType(ContentType.JSON).body(credentials).post(gateway + "/api/sessions")
                .then().statusCode(201).extract().path("token");
        String id = given().auth().oauth2(token).get(gateway + "/api/sessions/me").then().extract().path("user.id");
        return new Account(id, handle, token, gateway);
    }
}
