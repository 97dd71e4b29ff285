package io.presence.message;

import static io.presence.common.testing.HostileText.json;
import static io.presence.common.testing.HostileText.percentEncoded;

import io.presence.common.testing.HostileText;
import io.presence.common.testing.Problems;
import io.presence.testsupport.FakeUserService;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Issue 17, property-style: generated text (NUL, lone surrogates, control characters, very long, random mixes) in
 * every text field, path segment and query of every endpoint of message-service gets a 2xx or a 4xx problem+json,
 * never a 5xx.
 */
@QuarkusTest
@WithTestResource(MessageStores.class)
@WithTestResource(FakeUserService.class)
class HostileTextTest {

    @Test
    void roomNamesRefuseBidiControlsAndZeroWidthCharactersNamingTheField() {
        // issue 26, point 6: a room name shown in everyone's list may not pass for another
        TestUser ana = TestUser.create("ana");
        String room = ana.as().body("{\"name\":\"plain\",\"visibility\":\"public\"}").post("/api/rooms")
                .then().statusCode(201).extract().path("id");
        for (String c : new String[] {"\\u202e", "\\u2067", "\\u200e", "\\u200b", "\\ufeff"}) {
            Problems.assertProblem(ana.as().body("{\"name\":\"sup" + c + "port\",\"visibility\":\"public\"}").post("/api/rooms"),
                    400, "validation", "name");
            Problems.assertProblem(ana.as().body("{\"name\":\"sup" + c + "port\"}").patch("/api/rooms/" + room), 400, "validation", "name");
        }
    }

    @Test
    void everyTextInputIsAnsweredWithoutA5xx() throws Exception {
        TestUser ana = TestUser.create("ana");
        TestUser bob = TestUser.create("bob");
        FakeUserService.befriend(ana.id(), bob.id());
        String room = ana.as().body("{\"name\":\"hostile\",\"visibility\":\"public\"}").post("/api/rooms")
                .then().statusCode(201).extract().path("id");
        String message = send(ana, "/api/rooms/" + room, "\"first\"", TestUser.newKey()).then().statusCode(201).extract().path("id");
        String direct = send(ana, "/api/conversations/" + bob.id(), "\"hello\"", TestUser.newKey()).then().statusCode(201).extract().path("id");

        Map<String, Function<String, Response>> inputs = new LinkedHashMap<>();
        inputs.put("POST /api/rooms name", t -> ana.as().body("{\"name\":" + json(t) + ",\"visibility\":\"public\"}").post("/api/rooms"));
        inputs.put("POST /api/rooms topic", t -> ana.as().body("{\"name\":\"n\",\"visibility\":\"private\",\"topic\":" + json(t) + "}")
                .post("/api/rooms"));
        inputs.put("POST /api/rooms visibility", t -> ana.as().body("{\"name\":\"n\",\"visibility\":" + json(t) + "}").post("/api/rooms"));
        inputs.put("POST room message text", t -> send(ana, "/api/rooms/" + room, json(t), TestUser.newKey()));
        inputs.put("POST room message clientMessageId", t -> send(ana, "/api/rooms/" + room, "\"x\"", t));
        inputs.put("PATCH room message text", t -> ana.as().body("{\"text\":" + json(t) + "}")
                .patch("/api/rooms/" + room + "/messages/" + message));
        inputs.put("PUT room cursor messageId", t -> ana.as().body("{\"messageId\":" + json(t) + "}").put("/api/rooms/" + room + "/cursor"));
        inputs.put("POST room invitation userId", t -> ana.as().body("{\"userId\":" + json(t) + "}")
                .post("/api/rooms/" + room + "/invitations"));
        inputs.put("POST direct message text", t -> send(ana, "/api/conversations/" + bob.id(), json(t), TestUser.newKey()));
        inputs.put("POST direct message clientMessageId", t -> send(ana, "/api/conversations/" + bob.id(), "\"x\"", t));
        inputs.put("PATCH direct message text", t -> ana.as().body("{\"text\":" + json(t) + "}")
                .patch("/api/conversations/" + bob.id() + "/messages/" + direct));
        inputs.put("PUT direct cursor messageId", t -> ana.as().body("{\"messageId\":" + json(t) + "}")
                .put("/api/conversations/" + bob.id() + "/cursor"));

        Map<String, Function<String, Response>> urlInputs = new LinkedHashMap<>();
        urlInputs.put("GET /api/rooms/{id}", t -> ana.as().urlEncodingEnabled(false).get("/api/rooms/" + percentEncoded(t)));
        urlInputs.put("PUT /api/rooms/{id}/members/me", t -> ana.as().urlEncodingEnabled(false)
                .put("/api/rooms/" + percentEncoded(t) + "/members/me"));
        urlInputs.put("GET room history before", t -> ana.as().urlEncodingEnabled(false)
                .get("/api/rooms/" + room + "/messages?before=" + percentEncoded(t)));
        urlInputs.put("GET room history limit", t -> ana.as().urlEncodingEnabled(false)
                .get("/api/rooms/" + room + "/messages?limit=" + percentEncoded(t)));
        urlInputs.put("DELETE room message {id}", t -> ana.as().urlEncodingEnabled(false)
                .delete("/api/rooms/" + room + "/messages/" + percentEncoded(t)));
        urlInputs.put("GET /api/conversations/{userId}", t -> ana.as().urlEncodingEnabled(false)
                .get("/api/conversations/" + percentEncoded(t)));
        urlInputs.put("GET direct history before", t -> ana.as().urlEncodingEnabled(false)
                .get("/api/conversations/" + bob.id() + "/messages?before=" + percentEncoded(t)));
        urlInputs.put("GET /internal/rooms/{room}/members/{user}", t -> TestUser.service().urlEncodingEnabled(false)
                .get("/internal/rooms/" + percentEncoded(t) + "/members/" + percentEncoded(t)));

        Problems.assertAllHandled(inputs, HostileText.samples());
        Problems.assertAllHandled(urlInputs, HostileText.urlSamples());
    }

    private static Response send(TestUser user, String place, String textJson, String key) {
        return user.as().body("{\"text\":" + textJson + ",\"clientMessageId\":" + json(key) + "}").post(place + "/messages");
    }
}
