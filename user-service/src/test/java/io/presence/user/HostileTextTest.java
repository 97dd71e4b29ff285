package io.presence.user;

import static io.presence.common.testing.HostileText.json;
import static io.presence.common.testing.HostileText.percentEncoded;
import static io.restassured.RestAssured.given;

import io.presence.common.testing.HostileText;
import io.presence.common.testing.Problems;
import io.presence.testsupport.FakeMessageService;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Issue 17, property-style: generated text (NUL, lone surrogates, control characters, very long, random mixes) in
 * every text field, path segment, query and form value of every endpoint of user-service gets a 2xx or a 4xx
 * problem+json, never a 5xx. Form values are percent-encoded like paths, so they take the URL-sized samples.
 */
@QuarkusTest
@WithTestResource(UserStores.class)
@WithTestResource(FakeMessageService.class)
class HostileTextTest {

    @Test
    void everyTextInputIsAnsweredWithoutA5xx() throws Exception {
        TestUsers.User ana = TestUsers.newUser("ana");
        Map<String, Function<String, Response>> inputs = new LinkedHashMap<>();
        Map<String, Function<String, Response>> urlInputs = new LinkedHashMap<>();
        inputs.put("POST /api/users handle", t -> post("/api/users", "{\"handle\":" + json(t) + ",\"password\":\"long enough\"}"));
        inputs.put("POST /api/users password", t -> post("/api/users",
                "{\"handle\":\"" + TestUsers.uniqueHandle("p") + "\",\"password\":" + json(t) + "}"));
        inputs.put("POST /api/users displayName", t -> post("/api/users",
                "{\"handle\":\"" + TestUsers.uniqueHandle("d") + "\",\"password\":\"long enough\",\"displayName\":" + json(t) + "}"));
        inputs.put("POST /api/users status", t -> post("/api/users",
                "{\"handle\":\"" + TestUsers.uniqueHandle("s") + "\",\"password\":\"long enough\",\"status\":" + json(t) + "}"));
        urlInputs.put("GET /api/users/{handle}", t -> raw().get("/api/users/" + percentEncoded(t)));
        inputs.put("PATCH /api/users/me displayName", t -> ana.as().body("{\"displayName\":" + json(t) + "}").patch("/api/users/me"));
        inputs.put("PATCH /api/users/me status", t -> ana.as().body("{\"status\":" + json(t) + "}").patch("/api/users/me"));
        inputs.put("PUT /api/users/me/password currentPassword", t -> ana.as()
                .body("{\"currentPassword\":" + json(t) + ",\"newPassword\":\"long enough\"}").put("/api/users/me/password"));
        inputs.put("PUT /api/users/me/password newPassword", t -> ana.as()
                .body("{\"currentPassword\":\"wrong\",\"newPassword\":" + json(t) + "}").put("/api/users/me/password"));
        inputs.put("POST /api/sessions handle", t -> post("/api/sessions", "{\"handle\":" + json(t) + ",\"password\":\"whatever1\"}"));
        inputs.put("POST /api/sessions password", t -> post("/api/sessions", "{\"handle\":\"nobody\",\"password\":" + json(t) + "}"));
        inputs.put("POST /api/contacts/requests to", t -> ana.as().body("{\"to\":" + json(t) + "}").post("/api/contacts/requests"));
        urlInputs.put("GET /api/contacts/requests direction", t -> ana.as().urlEncodingEnabled(false)
                .get("/api/contacts/requests?direction=" + percentEncoded(t)));
        urlInputs.put("POST /api/contacts/requests/{id}/accept", t -> ana.as().urlEncodingEnabled(false)
                .post("/api/contacts/requests/" + percentEncoded(t) + "/accept"));
        urlInputs.put("DELETE /api/contacts/{handle}", t -> ana.as().urlEncodingEnabled(false).delete("/api/contacts/" + percentEncoded(t)));
        inputs.put("POST /api/contacts/blocks handle", t -> ana.as().body("{\"handle\":" + json(t) + "}").post("/api/contacts/blocks"));
        urlInputs.put("DELETE /api/contacts/blocks/{handle}", t -> ana.as().urlEncodingEnabled(false)
                .delete("/api/contacts/blocks/" + percentEncoded(t)));
        urlInputs.put("POST /pusher/auth socket_id", t -> form(ana, "/pusher/auth", "socket_id=" + percentEncoded(t) + "&channel_name=presence-x"));
        urlInputs.put("POST /pusher/auth channel_name", t -> form(ana, "/pusher/auth", "socket_id=1.2&channel_name=" + percentEncoded(t)));
        urlInputs.put("POST /pusher/user-auth socket_id", t -> form(ana, "/pusher/user-auth", "socket_id=" + percentEncoded(t)));
        urlInputs.put("GET /internal/relations/{a}/{b}", t -> TestUsers.service().urlEncodingEnabled(false)
                .get("/internal/relations/" + percentEncoded(t) + "/1"));

        Problems.assertAllHandled(inputs, HostileText.samples());
        Problems.assertAllHandled(urlInputs, HostileText.urlSamples());
    }

    /** Bidi controls and zero-width characters: what makes one name pass for another (issue 26, point 6). */
    static final String LOOKALIKE_CHARACTERS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
            + "\u200b\u200c\u200d\u2060\ufeff";

    @Test
    void displayNamesAndStatusesRefuseBidiControlsAndZeroWidthCharactersNamingTheField() {
        TestUsers.User ana = TestUsers.newUser("ana");
        for (char c : LOOKALIKE_CHARACTERS.toCharArray()) {
            String text = "adm" + c + "in";
            Problems.assertProblem(post("/api/users", "{\"handle\":\"" + TestUsers.uniqueHandle("b") + "\",\"password\":\"long enough\","
                    + "\"displayName\":" + json(text) + "}"), 400, "validation", "displayName");
            Problems.assertProblem(post("/api/users", "{\"handle\":\"" + TestUsers.uniqueHandle("b") + "\",\"password\":\"long enough\","
                    + "\"status\":" + json(text) + "}"), 400, "validation", "status");
            Problems.assertProblem(ana.as().body("{\"displayName\":" + json(text) + "}").patch("/api/users/me"), 400, "validation", "displayName");
            Problems.assertProblem(ana.as().body("{\"status\":" + json(text) + "}").patch("/api/users/me"), 400, "validation", "status");
        }
        // the letters, scripts and emoji of real names stay welcome
        ana.as().body("{\"displayName\":\"Zo\u00eb \u6f22\u5b57 \u0639\u0644\u064a \ud83d\ude00\",\"status\":\"caf\u00e9 \u2615\"}")
                .patch("/api/users/me").then().statusCode(200);
    }

    private static Response post(String path, String body) {
        return given().contentType(ContentType.JSON).body(body).post(path);
    }

    private static io.restassured.specification.RequestSpecification raw() {
        return given().urlEncodingEnabled(false);
    }

    private static Response form(TestUsers.User user, String path, String body) {
        return given().header("Authorization", "Bearer " + user.token()).contentType(ContentType.URLENC).body(body).post(path);
    }
}
