package io.presence.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.pusher.rest.Pusher;
import io.presence.common.app.App;
import io.presence.common.app.AppLimits;
import io.presence.common.pusher.PusherApp;
import io.presence.gateway.GatewayTestResources;
import io.presence.gateway.TestApps;
import io.presence.gateway.resume.ResumeStore;
import io.presence.testsupport.PusherSocket;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Resume across reconnects with the Pusher protocol alone: a resumable socket ({@code /c/<clientId>/app/<key>}) whose
 * network is cut loses what the server sent meanwhile; the next socket of the same client id gets exactly those
 * events after subscribing again, then the live ones, or {@code pusher:events_missed} when they are gone.
 */
@QuarkusTest
@WithTestResource(GatewayTestResources.class)
class ResumeTest {

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Inject
    TestApps apps;

    @Inject
    ResumeStore positions;

    private Pusher sdk(PusherApp app) {
        Pusher p = new Pusher(app.id(), app.key(), app.secret());
        p.setHost("127.0.0.1:" + port);
        p.setEncrypted(false);
        return p;
    }

    private void trigger(PusherApp app, String channel, String name, String data) {
        var result = sdk(app).trigger(channel, name, Map.of("n", data));
        assertEquals(200, result.getHttpStatus(), result.getMessage());
    }

    private void triggerAll(PusherApp app, String channel, int from, int to) {
        for (int i = from; i <= to; i++) {
            trigger(app, channel, "e", Integer.toString(i));
        }
    }

    /** The n of each event frame until the marker event (excluded), and asserts the marker came. */
    private static List<String> eventsUntilMarker(PusherSocket socket) throws InterruptedException {
        List<String> seen = new ArrayList<>();
        for (JsonNode frame : socket.framesUntil("marker")) {
            String event = PusherSocket.event(frame);
            if (event.equals("marker")) {
                break;
            }
            seen.add(event.equals("e") ? "e" + PusherSocket.data(frame).get("n").asText() : event);
        }
        return seen;
    }

    private static List<String> range(int from, int to) {
        List<String> names = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            names.add("e" + i);
        }
        return names;
    }

    /** A socket that read events 1..5 of a channel, its reading acknowledged, whose network is then cut. */
    private PusherSocket subscribedAndCut(PusherApp app, String clientId, String channel) throws Exception {
        PusherSocket first = PusherSocket.resumable(port, app, clientId).ignore(PusherSocket.SUBSCRIPTION_COUNT);
        first.subscribePublic(channel);
        triggerAll(app, channel, 1, 5);
        trigger(app, channel, "marker", "-");
        assertEquals(range(1, 5), eventsUntilMarker(first));
        first.awaitReceipt();
        first.cutNetwork();
        return first;
    }

    @Test
    void aReconnectGetsExactlyWhatTheCutLostThenTheLiveEvents() throws Exception {
        String channel = "resume-" + UUID.randomUUID();
        String clientId = PusherSocket.newClientId();
        PusherSocket first = subscribedAndCut(PusherSocket.APP, clientId, channel);
        triggerAll(PusherSocket.APP, channel, 6, 10); // written to the first socket, lost on the way
        first.abort();

        try (PusherSocket second = PusherSocket.resumable(port, clientId).ignore(PusherSocket.SUBSCRIPTION_COUNT)) {
            second.subscribePublic(channel);
            trigger(PusherSocket.APP, channel, "e", "11");
            trigger(PusherSocket.APP, channel, "marker", "-");
            List<String> expected = range(6, 11);
            assertEquals(expected, eventsUntilMarker(second), "the lost events once and in order, then the live ones");
        }
    }

    @Test
    void aNewSocketTakesOverFromOneStillOpenAndResumesWhereItsClientLeftOff() throws Exception {
        String channel = "takeover-" + UUID.randomUUID();
        String clientId = PusherSocket.newClientId();
        try (PusherSocket first = subscribedAndCut(PusherSocket.APP, clientId, channel)) {
            triggerAll(PusherSocket.APP, channel, 6, 8); // the first socket still looks open to the server
            try (PusherSocket second = PusherSocket.resumable(port, clientId).ignore(PusherSocket.SUBSCRIPTION_COUNT)) {
                assertEquals(4110, first.closeCode().get(30, TimeUnit.SECONDS), "the superseded socket is closed");
                second.subscribePublic(channel);
                trigger(PusherSocket.APP, channel, "marker", "-");
                assertEquals(range(6, 8), eventsUntilMarker(second));
            }
        }
    }

    @Test
    void aPresenceChannelResumesWithTheMembersAsTheyAreAndTheMissedEvents() throws Exception {
        String channel = "presence-resume-" + UUID.randomUUID();
        String clientId = PusherSocket.newClientId();
        PusherSocket first = PusherSocket.resumable(port, clientId).ignore(PusherSocket.SUBSCRIPTION_COUNT);
        first.subscribePresence(channel, "ana", Map.of());
        trigger(PusherSocket.APP, channel, "e", "1");
        trigger(PusherSocket.APP, channel, "marker", "-");
        assertEquals(List.of("e1"), eventsUntilMarker(first));
        first.awaitReceipt();
        first.cutNetwork();
        try (PusherSocket bob = PusherSocket.connect(port).ignore(PusherSocket.SUBSCRIPTION_COUNT)) {
            bob.subscribePresence(channel, "bob", Map.of());
            triggerAll(PusherSocket.APP, channel, 2, 3);
            first.abort();

            try (PusherSocket second = PusherSocket.resumable(port, clientId).ignore(PusherSocket.SUBSCRIPTION_COUNT)) {
                JsonNode succeeded = second.subscribePresence(channel, "ana", Map.of());
                JsonNode ids = PusherSocket.data(succeeded).get("presence").get("ids");
                assertTrue(ids.toString().contains("\"bob\"") && ids.toString().contains("\"ana\""), ids.toString());
                trigger(PusherSocket.APP, channel, "marker", "-");
                assertEquals(range(2, 3), eventsUntilMarker(second), "the missed events, and no member_added for bob: the snapshot has him");
            }
        }
    }

    @Test
    void aSocketNotAuthorizedForAChannelGetsNothingOfIt() throws Exception {
        String channel = "private-resume-" + UUID.randomUUID();
        String clientId = PusherSocket.newClientId();
        PusherSocket first = PusherSocket.resumable(port, clientId).ignore(PusherSocket.SUBSCRIPTION_COUNT);
        first.subscribePrivate(channel);
        trigger(PusherSocket.APP, channel, "e", "1");
        trigger(PusherSocket.APP, channel, "marker", "-");
        assertEquals(List.of("e1"), eventsUntilMarker(first));
        first.awaitReceipt();
        first.cutNetwork();
        triggerAll(PusherSocket.APP, channel, 2, 3);
        first.abort();

        try (PusherSocket second = PusherSocket.resumable(port, clientId).ignore(PusherSocket.SUBSCRIPTION_COUNT)) {
            second.send("pusher:subscribe", Map.of("channel", channel, "auth", "app-key:" + "0".repeat(64)));
            JsonNode refused = second.next();
            assertEquals("pusher:subscription_error", PusherSocket.event(refused), refused.toString());
            String marker = "marker-" + UUID.randomUUID();
            second.subscribePublic(marker);
            trigger(PusherSocket.APP, marker, "marker", "-");
            assertEquals(List.of(), eventsUntilMarker(second), "nothing of the private channel without its signature");

            second.subscribePrivate(channel);
            trigger(PusherSocket.APP, channel, "marker", "-");
            assertEquals(range(2, 3), eventsUntilMarker(second), "signed, it resumes");
        }
    }

    @Test
    void aResumeFromBeyondWhatTheChannelKeepsIsToldEventsMissed() throws Exception {
        App app = apps.installNew("kept", new AppLimits(null, null, null, null, null, null, null, null, null, null, null, null, null, null, 3));
        String channel = "kept-" + UUID.randomUUID();
        String clientId = PusherSocket.newClientId();
        PusherSocket first = subscribedAndCut(app.signer(), clientId, channel);
        triggerAll(app.signer(), channel, 6, 10); // five events; the channel keeps three
        first.abort();

        try (PusherSocket second = PusherSocket.resumable(port, app.signer(), clientId).ignore(PusherSocket.SUBSCRIPTION_COUNT)) {
            second.subscribePublic(channel);
            trigger(app.signer(), channel, "marker", "-");
            List<JsonNode> frames = second.framesUntil("marker");
            assertEquals(2, frames.size(), frames.toString());
            assertEquals("pusher:events_missed", PusherSocket.event(frames.get(0)), frames.toString());
            JsonNode gap = PusherSocket.data(frames.get(0));
            assertEquals(gap.get("after").asLong() + 5, gap.get("up_to").asLong(), gap.toString());
        }
    }

    @Test
    void aResumeAfterTheWindowIsToldEventsMissed() throws Exception {
        App app = apps.installNew("window", new AppLimits(null, null, null, null, null, null, null, null, null, null, null, null, null, 1, null));
        String channel = "window-" + UUID.randomUUID();
        String clientId = PusherSocket.newClientId();
        PusherSocket first = subscribedAndCut(app.signer(), clientId, channel);
        triggerAll(app.signer(), channel, 6, 7);
        first.abort();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!positions.read(app.id(), clientId).await().atMost(Duration.ofSeconds(10)).olderThan(Duration.ofSeconds(1))) {
            assertTrue(System.nanoTime() < deadline, "the positions were never recorded");
            Thread.sleep(50); // until the record is older than the app's one-second window
        }

        try (PusherSocket second = PusherSocket.resumable(port, app.signer(), clientId).ignore(PusherSocket.SUBSCRIPTION_COUNT)) {
            second.subscribePublic(channel);
            trigger(app.signer(), channel, "marker", "-");
            List<JsonNode> frames = second.framesUntil("marker");
            assertEquals(List.of("pusher:events_missed", "marker"), frames.stream().map(PusherSocket::event).toList());
        }
    }

    @Test
    void aClientThatNeverAnswersAPingResumesFromWhatWasWrittenAndGetsNothingTwice() throws Exception {
        String channel = "no-pong-" + UUID.randomUUID();
        String clientId = PusherSocket.newClientId();
        // like pusher-java-client: resumable, but it never answers the server's pings
        PusherSocket first = PusherSocket.raw(port, "/c/" + clientId + "/app/app-key?protocol=7")
                .ignore(PusherSocket.SUBSCRIPTION_COUNT).ignore("pusher:ping");
        first.next("pusher:connection_established");
        first.send("pusher:subscribe", Map.of("channel", channel));
        // the ping that follows connection_established may have come before the socket ignored pings
        assertEquals(List.of("pusher_internal:subscription_succeeded"), first.framesUntil("pusher_internal:subscription_succeeded")
                .stream().map(PusherSocket::event).filter(e -> !e.equals("pusher:ping")).toList());
        triggerAll(PusherSocket.APP, channel, 1, 3);
        trigger(PusherSocket.APP, channel, "marker", "-");
        assertEquals(range(1, 3), eventsUntilMarker(first));
        first.abort();

        try (PusherSocket second = PusherSocket.resumable(port, clientId).ignore(PusherSocket.SUBSCRIPTION_COUNT)) {
            second.subscribePublic(channel);
            trigger(PusherSocket.APP, channel, "e", "4");
            trigger(PusherSocket.APP, channel, "marker", "-");
            assertEquals(List.of("e4"), eventsUntilMarker(second), "what was written is not sent again");
        }
    }

    @Test
    void aSubscribeSentBeforeConnectionEstablishedStillResumes() throws Exception {
        String channel = "early-" + UUID.randomUUID();
        String clientId = PusherSocket.newClientId();
        PusherSocket first = subscribedAndCut(PusherSocket.APP, clientId, channel);
        triggerAll(PusherSocket.APP, channel, 6, 7);
        first.abort();

        try (PusherSocket second = PusherSocket.raw(port, "/c/" + clientId + "/app/app-key?protocol=7")
                .ignore(PusherSocket.SUBSCRIPTION_COUNT).ignore("pusher:ping")) {
            second.send("pusher:subscribe", Map.of("channel", channel)); // at once, while the gateway reads the record
            trigger(PusherSocket.APP, channel, "marker", "-");
            List<String> events = second.framesUntil("marker").stream().map(PusherSocket::event)
                    .filter(e -> !e.equals("pusher:ping")).toList();
            assertEquals(List.of("pusher:connection_established", "pusher_internal:subscription_succeeded", "e", "e", "marker"), events);
        }
    }

    @Test
    void whenThePreviousSocketCannotBeFoundOutEveryChannelIsToldEventsMissed() throws Exception {
        String channel = "unknown-" + UUID.randomUUID();
        String clientId = PusherSocket.newClientId();
        // the record's owner is a socket no gateway holds (its gateway died before recording)
        positions.claim("app-id", clientId, "1.404", Duration.ofMinutes(4)).await().atMost(Duration.ofSeconds(10));
        trigger(PusherSocket.APP, channel, "e", "1");

        try (PusherSocket second = PusherSocket.resumable(port, clientId).ignore(PusherSocket.SUBSCRIPTION_COUNT)) {
            second.subscribePublic(channel);
            trigger(PusherSocket.APP, channel, "marker", "-");
            List<JsonNode> frames = second.framesUntil("marker");
            assertEquals(List.of("pusher:events_missed", "marker"), frames.stream().map(PusherSocket::event).toList(),
                    "not a silent fresh start");
            assertEquals(0, PusherSocket.data(frames.get(0)).get("after").asLong());
        }
    }

    @Test
    void aClientIdThatIsNotOneIsRefused() throws Exception {
        try (PusherSocket socket = PusherSocket.raw(port, "/c/short/app/app-key?protocol=7")) {
            assertEquals(4005, socket.awaitClose());
        }
        try (PusherSocket socket = PusherSocket.raw(port, "/c/" + "a".repeat(21) + "%21/app/app-key?protocol=7")) {
            assertEquals(4005, socket.awaitClose());
        }
    }
}
