package io.presence.presence;

import static io.presence.common.testing.HostileText.json;
import static io.presence.common.testing.HostileText.percentEncoded;
import static io.presence.common.testing.Problems.assertProblem;
import static io.restassured.RestAssured.given;

import io.presence.common.testing.HostileText;
import io.presence.common.testing.Problems;
import io.presence.testsupport.FakeUserService;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Issue 17, items 1 and 9, and the property-style test: status text keeps the text rule (400 naming the field),
 * and generated text in every text input of the presence REST API gets a 2xx or a 4xx problem+json, never a 5xx.
 */
@QuarkusTest
@WithTestResource(PresenceStores.class)
@WithTestResource(FakeUserService.class)
class HostileTextTest {

    private static RequestSpecification asUser(String id) {
        return given().header("Authorization", "Bearer user-" + id).contentType("application/json");
    }

    @Test
    void badStatusTextIs400NamingTheField() {
        assertProblem(asUser("42").body("{\"text\":\"a\\u0000b\"}").put("/api/presence/users/42/status"), 400, "validation", "text");
        assertProblem(asUser("42").body("{\"status\":\"\\ud800\"}").put("/api/presence/users/42/status"), 400, "validation", "status");
        assertProblem(asUser("42").body("{\"text\":\"two\\nlines\"}").put("/api/presence/users/42/status"), 400, "validation", "text");
        asUser("42").body("{\"text\":\"lunch \\ud83c\\udf5c\"}").put("/api/presence/users/42/status").then().statusCode(200);
    }

    @Test
    void statusTextRefusesBidiControlsAndZeroWidthCharactersNamingTheField() {
        // issue 26, point 6: a right-to-left override or a zero-width space makes one status pass for another
        for (String c : new String[] {"\\u202e", "\\u2066", "\\u200f", "\\u061c", "\\u200b", "\\u200d", "\\u2060", "\\ufeff"}) {
            assertProblem(asUser("42").body("{\"text\":\"in a " + c + "meeting\"}").put("/api/presence/users/42/status"), 400, "validation", "text");
            assertProblem(asUser("42").body("{\"status\":\"in a " + c + "meeting\"}").put("/api/presence/users/42/status"), 400, "validation", "status");
        }
    }

    @Test
    void everyTextInputIsAnsweredWithoutA5xx() throws Exception {
        Map<String, Function<String, Response>> inputs = new LinkedHashMap<>();
        inputs.put("PUT status text", t -> asUser("7").body("{\"text\":" + json(t) + "}").put("/api/presence/users/7/status"));
        inputs.put("PUT status status", t -> asUser("7").body("{\"status\":" + json(t) + "}").put("/api/presence/users/7/status"));
        inputs.put("PUT status expiresIn", t -> asUser("7").body("{\"status\":\"away\",\"expiresIn\":" + json(t) + "}")
                .put("/api/presence/users/7/status"));
        inputs.put("POST users/query ids", t -> asUser("7").body("{\"ids\":[" + json(t) + "]}").post("/api/presence/users/query"));

        Map<String, Function<String, Response>> urlInputs = new LinkedHashMap<>();
        urlInputs.put("GET users/{id}", t -> asUser("7").urlEncodingEnabled(false).get("/api/presence/users/" + percentEncoded(t)));
        urlInputs.put("PUT users/{id}/status", t -> asUser("7").urlEncodingEnabled(false).body("{\"status\":\"busy\"}")
                .put("/api/presence/users/" + percentEncoded(t) + "/status"));
        urlInputs.put("GET channels/{channel}/members", t -> asUser("7").urlEncodingEnabled(false)
                .get("/api/presence/channels/" + percentEncoded(t) + "/members"));

        Problems.assertAllHandled(inputs, HostileText.samples());
        Problems.assertAllHandled(urlInputs, HostileText.urlSamples());
    }
}
