package io.presence.gateway;

import static io.presence.common.testing.HostileText.json;
import static io.presence.common.testing.HostileText.percentEncoded;
import static io.restassured.RestAssured.given;

import com.pusher.rest.Pusher;
import io.presence.common.testing.HostileText;
import io.presence.common.testing.Problems;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Issue 17, property-style, for the gateway's own REST endpoints: generated text (NUL, lone surrogates, control
 * characters, very long, random mixes) in every field of the signed Pusher HTTP API, and in paths the /api proxy
 * forwards, gets a 2xx or a 4xx problem+json, never a 5xx. (The backends' endpoints have tests of their own.)
 */
@QuarkusTest
@WithTestResource(GatewayTestResources.class)
class HostileTextTest {

    @Test
    void everyTextInputIsAnsweredWithoutA5xx() throws Exception {
        Pusher pusher = new Pusher("app-id", "app-key", "app-secret");
        pusher.setHost("127.0.0.1:" + RestAssured.port);
        pusher.setEncrypted(false);
        Function<String, Response> events = body -> given().contentType("application/json").body(body)
                .post(pusher.signedUri("POST", "/apps/app-id/events", body).toString());

        Map<String, Function<String, Response>> inputs = new LinkedHashMap<>();
        inputs.put("events name", t -> events.apply("{\"name\":" + json(t) + ",\"channel\":\"c\",\"data\":\"{}\"}"));
        inputs.put("events channel", t -> events.apply("{\"name\":\"e\",\"channel\":" + json(t) + ",\"data\":\"{}\"}"));
        inputs.put("events channels", t -> events.apply("{\"name\":\"e\",\"channels\":[" + json(t) + "],\"data\":\"{}\"}"));
        inputs.put("events data", t -> events.apply("{\"name\":\"e\",\"channel\":\"c\",\"data\":" + json(t) + "}"));
        inputs.put("events socket_id", t -> events.apply("{\"name\":\"e\",\"channel\":\"c\",\"data\":\"{}\",\"socket_id\":" + json(t) + "}"));
        inputs.put("batch_events name", t -> {
            String body = "{\"batch\":[{\"name\":" + json(t) + ",\"channel\":\"c\",\"data\":\"{}\"}]}";
            return given().contentType("application/json").body(body)
                    .post(pusher.signedUri("POST", "/apps/app-id/batch_events", body).toString());
        });

        Map<String, Function<String, Response>> urlInputs = new LinkedHashMap<>();
        urlInputs.put("GET /apps/{id}/channels/{channel}", t -> given().urlEncodingEnabled(false)
                .get(pusher.signedUri("GET", "/apps/app-id/channels/" + percentEncoded(t), null).toString()));
        urlInputs.put("GET /apps/{id}/channels?filter_by_prefix", t -> given().urlEncodingEnabled(false)
                .get("/apps/app-id/channels?filter_by_prefix=" + percentEncoded(t)));
        urlInputs.put("GET /apps/{id}", t -> given().urlEncodingEnabled(false).get("/apps/" + percentEncoded(t) + "/channels"));
        urlInputs.put("proxied /api/users/{handle}", t -> given().urlEncodingEnabled(false).get("/api/users/" + percentEncoded(t)));
        urlInputs.put("proxied query", t -> given().urlEncodingEnabled(false).get("/api/presence/users?q=" + percentEncoded(t)));

        Problems.assertAllHandled(inputs, HostileText.samples());
        Problems.assertAllHandled(urlInputs, HostileText.urlSamples());
    }
}
