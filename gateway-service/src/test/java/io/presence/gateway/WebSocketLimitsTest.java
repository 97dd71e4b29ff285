package io.presence.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 17, item 10: a WebSocket message over the limit ends with close code 1009 and a reason, which clients
 * understand, not with the abrupt 1006 of a dropped connection; whether it came as one frame or many.
 */
@QuarkusTest
@WithTestResource(GatewayTestResources.class)
class WebSocketLimitsTest {

    /** What ended the connection: the close code and reason, or -1 when it was dropped without a close frame. */
    record Closed(int code, String reason) {
    }

    @Test
    void oneHugeFrameIsClosedWith1009() throws Exception {
        for (int size : new int[] {100_000, 1_000_000, 10_000_000}) {
            Closed closed = sendOneFrame(size);
            assertEquals(1009, closed.code(), size + " bytes: " + closed);
            assertFalse(closed.reason().isBlank(), "a reason the client can show");
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
    void anEventOverThePusherLimitButUnderTheMessageLimitIsAPusherErrorAndTheSocketStays() throws Exception {
        try (Socket socket = handshake()) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            readFrame(in); // connection_established
            writeFrame(socket.getOutputStream(), event(20_000));
            String error = new String(readFrame(in), StandardCharsets.UTF_8);
            assertTrue(error.contains("pusher:error"), error);
            writeFrame(socket.getOutputStream(), "{\"event\":\"pusher:ping\",\"data\":{}}".getBytes(StandardCharsets.UTF_8));
            assertTrue(new String(readFrame(in), StandardCharsets.UTF_8).contains("pusher:pong"));
        }
    }

    private Closed sendOneFrame(int size) throws Exception {
        try (Socket socket = handshake()) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            readFrame(in); // connection_established
            try {
                writeFrame(socket.getOutputStream(), event(size));
            } catch (IOException e) {
                // the server may answer before it has read everything
            }
            for (int i = 0; i < 5; i++) {
                int opcode = in.read() & 0x0f;
                byte[] payload = payload(in);
                if (opcode == 8) {
                    int code = payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : -1;
                    return new Closed(code, new String(payload, Math.min(2, payload.length), Math.max(0, payload.length - 2),
                            StandardCharsets.UTF_8));
                }
            }
            return new Closed(-2, "no close frame");
        } catch (IOException e) {
            return new Closed(-1, e.toString());
        }
    }

    private static byte[] event(int size) {
        return ("{\"event\":\"client-x\",\"channel\":\"private-a\",\"data\":\"" + "a".repeat(size) + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static Socket handshake() throws IOException {
        Socket socket = new Socket("127.0.0.1", RestAssured.port);
        socket.setSoTimeout((int) Duration.ofSeconds(30).toMillis());
        socket.getOutputStream().write(("GET /app/app-key?protocol=7 HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        InputStream in = socket.getInputStream();
        int last4 = 0;
        while (last4 != 0x0d0a0d0a) { // to the end of the 101 answer's headers
            int c = in.read();
            if (c < 0) {
                throw new IOException("closed during the handshake");
            }
            last4 = (last4 << 8) | c;
        }
        return socket;
    }

    /** One masked text frame (mask 0, as the protocol allows), its length in the shortest form. */
    private static void writeFrame(OutputStream out, byte[] payload) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write(0x81);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xff);
        } else {
            frame.write(0x80 | 127);
            for (int i = 7; i >= 0; i--) {
                frame.write((int) ((long) payload.length >>> (8 * i)) & 0xff);
            }
        }
        frame.write(new byte[4]);
        frame.write(payload);
        out.write(frame.toByteArray());
        out.flush();
    }

    private static byte[] readFrame(InputStream in) throws IOException {
        in.read();
        return payload(in);
    }

    private static byte[] payload(InputStream in) throws IOException {
        long length = in.read() & 0x7f;
        if (length == 126) {
            length = (in.read() << 8) | in.read();
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = (length << 8) | in.read();
            }
        }
        return in.readNBytes((int) length);
    }
}
