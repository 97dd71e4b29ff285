package io.presence.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.presence.gateway.GatewayStores;
import io.presence.testsupport.PusherSocket;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** A silent socket is pinged after the activity timeout and closed with 4201 when no pong follows. */
@QuarkusTest
@WithTestResource(GatewayStores.class)
@TestProfile(IdleReapingTest.ShortTimeouts.class)
class IdleReapingTest {

    /** One-second activity and pong timeouts. */
    public static class ShortTimeouts implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.websocket.activity-timeout", "1s", "gateway.websocket.pong-timeout", "1s");
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
    void aSocketThatAnswersStaysOpen() throws Exception {
        try (PusherSocket alive = PusherSocket.connect(port)) {
            for (int i = 0; i < 3; i++) {
                alive.next("pusher:ping");
                alive.send("{\"event\":\"pusher:pong\",\"data\":{}}");
            }
            assertEquals(false, alive.closeCode().isDone());
        }
    }
}
