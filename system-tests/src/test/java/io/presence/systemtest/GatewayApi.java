package io.presence.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Calls to a gateway's signed Pusher HTTP API, as a backend makes them (development app). */
final class GatewayApi {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private GatewayApi() {
    }

    /** The users of a presence channel; empty when the gateway does not answer 200. */
    static Set<String> channelUsers(ServiceProcess gateway, String channel) throws Exception {
        String path = "/apps/app-id/channels/" + channel + "/users";
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create(gateway.url(path + "?" + RawSocket.APP.signedQuery("GET", path, Map.of(), null)))).build(),
                HttpResponse.BodyHandlers.ofString());
        Set<String> users = new HashSet<>();
        if (response.statusCode() == 200) {
            RawSocket.JSON.readTree(response.body()).get("users").forEach(u -> users.add(u.get("id").asText()));
        }
        return users;
    }

    /**
     * Triggers a marker event on a channel and answers its name: every subscriber gets it after everything published
     * on the channel before (events are numbered per channel and delivered in order), so it is a barrier.
     */
    static String mark(ServiceProcess gateway, String channel) throws Exception {
        String marker = "marker-" + UUID.randomUUID();
        trigger(gateway, channel, marker, "{}");
        return marker;
    }

    /** The channel's subscribers on every gateway, as the HTTP API counts them (0 when it is not occupied). */
    static int subscriptionCount(ServiceProcess gateway, String channel) throws Exception {
        String path = "/apps/app-id/channels/" + channel;
        Map<String, String> query = Map.of("info", "subscription_count");
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create(gateway.url(path + "?" + RawSocket.APP.signedQuery("GET", path, query, null)))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return RawSocket.JSON.readTree(response.body()).path("subscription_count").asInt(0);
    }

    /** Triggers one event on a channel; asserts the gateway accepted it. */
    static void trigger(ServiceProcess gateway, String channel, String name, String data) throws Exception {
        String path = "/apps/app-id/events";
        byte[] body = RawSocket.JSON.writeValueAsBytes(Map.of("name", name, "channel", channel, "data", data));
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create(gateway.url(path + "?" + RawSocket.APP.signedQuery("POST", path, Map.of(), body))))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
    }
}
