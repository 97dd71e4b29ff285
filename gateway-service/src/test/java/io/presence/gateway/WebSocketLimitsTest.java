package io.presence.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.presence.testsupport.WireSocket;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 17, item 10: a WebSocket message over the limit ends with close code 1009 and a reason, which clients
 * understand, not with the abrupt 1006 of a dropped connection; whether it came as one frame or many. Issue 26: a frame
 * over 16 KiB is refused as its header arrives, before its payload is read.
 */
@QuarkusTest
@WithTestResource(GatewayTestResources.class)
class WebSocketLimitsTest {

    /** What ended the connection: the close code and reason, or -1 when it was dropped without a close frame. */
    record Closed(int code, String reason) {
    }

    /** quarkus.websockets-next.server.max-frame-size and max-message-size. */
    private static final int FRAME_CAP = 16_384;
    /** gateway.websocket.max-frame-bytes: the largest frame that is handled. */
    private static final int ACCEPTED = 10_240;

    @Test
    void oneHugeFrameIsClosedWith1009() throws Exception {
        for (int size : new int[] {100_000, 1_000_000, 10_000_000}) {
            Closed closed = sendOneFrame(event(size));
            assertEquals(1009, closed.code(), size + " bytes: " + closed);
            assertFalse(closed.reason().isBlank(), "a reason the client can show");
        }
    }

    @Test
    void aFrameOfTheCapIsReadAndOneByteMoreIsClosedWith1009() throws Exception {
        try (WireSocket socket = WireSocket.connect(null, RestAssured.port)) {
            socket.send(event(FRAME_CAP));
            assertTrue(socket.next("pusher:error").toString().contains(ACCEPTED + " bytes"));
            socket.send(event(FRAME_CAP + 1));
            assertEquals(1009, socket.awaitClose(), socket.closeReason());
        }
    }

    @Test
    void aHeaderClaimingGigabytesIsClosedWith1009BeforeAnyPayload() throws Exception {
        try (WireSocket socket = WireSocket.connect(null, RestAssured.port)) {
            socket.sendHeader(Integer.MAX_VALUE); // and not one byte of it: the answer cannot wait for the payload
            assertEquals(1009, socket.awaitClose(), socket.closeReason());
        }
    }

    @Test
    void aHugeMessageInManyFramesIsClosedWith1009() throws Exception {
        CompletableFuture<Closed> closed = new CompletableFuture<>();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://localhost:" + RestAssured.port + "/app/app-key?protocol=7"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
                        closed.complete(new Closed(code, reason));
                        return null;
                    }

                    @Override
                    public void onError(WebSocket ws, Throwable error) {
                        closed.complete(new Closed(-1, error.toString()));
                    }
                }).get(30, TimeUnit.SECONDS);
        String chunk = "x".repeat(16 * 1024);
        try {
            for (int i = 0; i < 64 && !closed.isDone(); i++) {
                socket.sendText(chunk, false).get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            // the server may close while frames are still going out
        }
        Closed result = closed.get(30, TimeUnit.SECONDS);
        assertEquals(1009, result.code(), result.toString());
    }

    @Test
    void anEventOverThePusherLimitButUnderTheFrameCapIsAPusherErrorAndTheSocketStays() throws Exception {
        try (WireSocket socket = WireSocket.connect(null, RestAssured.port)) {
            socket.send(event(ACCEPTED + 1));
            socket.next("pusher:error");
            socket.send("{\"event\":\"pusher:ping\",\"data\":{}}");
            socket.next("pusher:pong");
        }
    }

    private Closed sendOneFrame(byte[] frame) throws Exception {
        try (WireSocket socket = WireSocket.connect(null, RestAssured.port)) {
            try {
                socket.send(frame);
            } catch (IOException e) {
                // the server may answer before it has read everything
            }
            int code = socket.awaitClose();
            return new Closed(code, socket.closeReason());
        }
    }

    /** A client event frame of exactly {@code size} bytes. */
    private static byte[] event(int size) {
        String envelope = "{\"event\":\"client-x\",\"channel\":\"private-a\",\"data\":\"\"}";
        return (envelope.substring(0, envelope.length() - 2) + "a".repeat(size - envelope.length()) + "\"}").getBytes(StandardCharsets.UTF_8);
    }
}
