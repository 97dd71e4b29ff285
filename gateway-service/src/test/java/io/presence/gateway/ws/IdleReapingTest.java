package io.presence.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.presence.gateway.GatewayTestResources;
import io.presence.testsupport.PusherSocket;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A silent socket is pinged after the activity timeout and closed with 4201 when no pong follows; one that answers
 * is pinged again and stays. (Its own Quarkus start: the other tests' sockets must not be pinged.)
 */
@QuarkusTest
@WithTestResource(GatewayTestResources.class)
@TestProfile(IdleReapingTest.ShortTimeouts.class)
class IdleReapingTest {

    /** A short activity timeout, for pings soon; a pong timeout long enough for any answer on a busy machine. */
    public static class ShortTimeouts implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.websocket.activity-timeout", "1s", "gateway.websocket.pong-timeout", "10s");
        }
    }

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Test
    void aSilentSocketIsPingedThenClosedWith4201() throws Exception {
        try (PusherSocket silent = PusherSocket.connect(port)) {
            silent.next("pusher:ping");
            assertEquals(4201, silent.awaitClose());
        }
    }

    @Test
    void aSocketThatAnswersIsPingedAgainAndStaysOpen() throws Exception {
        try (PusherSocket alive = PusherSocket.connect(port)) {
            // a second ping only comes when the first one's pong counted: unanswered, the server closes instead
            for (int i = 0; i < 2; i++) {
                alive.next("pusher:ping");
                alive.send("{\"event\":\"pusher:pong\",\"data\":{}}");
            }
            alive.send("{\"event\":\"pusher:ping\",\"data\":{}}");
            alive.next("pusher:pong");
        }
    }
}
