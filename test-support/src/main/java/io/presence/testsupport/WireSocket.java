package io.presence.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A Pusher WebSocket client written on a plain TCP socket, for what a WebSocket library will not do: connect from a
 * chosen local address (127.0.0.0/8 is all loopback, so a test can be many clients), and write a frame's header apart
 * from its payload (a header claiming megabytes, followed by less). Frames are masked with a zero mask, as the
 * protocol allows; what the server sends is read frame by frame.
 */
public final class WireSocket implements AutoCloseable {

    /** The longest wait for something that must arrive, on a loaded machine. */
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private int closeCode = -2;
    private String closeReason = "";

    private WireSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects from {@code localAddress} (null: any) to the server on 127.0.0.1 and completes the upgrade; nothing else read. */
    public static WireSocket open(String localAddress, int port, String pathAndQuery) throws IOException {
        return open(localAddress, port, pathAndQuery, "");
    }

    /** As {@link #open(String, int, String)}, with more request header lines ({@code "Name: value\r\n"} each). */
    public static WireSocket open(String localAddress, int port, String pathAndQuery, String headers) throws IOException {
        Socket socket = new Socket();
        if (localAddress != null) {
            socket.bind(new InetSocketAddress(localAddress, 0));
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), (int) WAIT.toMillis());
        socket.setSoTimeout((int) WAIT.toMillis());
        WireSocket wire = new WireSocket(socket);
        wire.out.write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" + headers + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        wire.out.flush();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = wire.in.read();
            if (c < 0) {
                socket.close();
                throw new IOException("closed during the handshake: " + head);
            }
            head.append((char) c);
        }
        if (!head.toString().startsWith("HTTP/1.1 101")) {
            socket.close();
            throw new IOException("not upgraded: " + head);
        }
        return wire;
    }

    /** Connects to the development app from {@code localAddress} and reads connection_established. */
    public static WireSocket connect(String localAddress, int port) throws IOException {
        WireSocket wire = open(localAddress, port, PusherSocket.APP_PATH);
        String established = wire.next();
        if (established == null || !established.contains("pusher:connection_established")) {
            wire.close();
            throw new IOException("not established: " + established + " (closed " + wire.closeCode + " " + wire.closeReason + ")");
        }
        return wire;
    }

    /** Sends one text frame. */
    public void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends one text frame of exactly these bytes. */
    public void send(byte[] payload) throws IOException {
        sendHeader(payload.length);
        out.write(payload);
        out.flush();
    }

    /** Sends the header of a text frame of {@code length} bytes (and the zero mask), and no payload. */
    public void sendHeader(long length) throws IOException {
        ByteArrayOutputStream header = new ByteArrayOutputStream(14);
        header.write(0x81);
        if (length < 126) {
            header.write(0x80 | (int) length);
        } else if (length < 65536) {
            header.write(0x80 | 126);
            header.write((int) (length >>> 8));
            header.write((int) (length & 0xff));
        } else {
            header.write(0x80 | 127);
            for (int i = 7; i >= 0; i--) {
                header.write((int) (length >>> (8 * i)) & 0xff);
            }
        }
        header.write(new byte[4]);
        out.write(header.toByteArray());
        out.flush();
    }

    /** Sends raw bytes (a payload after {@link #sendHeader}). */
    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next text frame, or null once the server closed (see {@link #closeCode()}) or dropped the connection (-1). */
    public String next() throws IOException {
        while (true) {
            int first;
            try {
                first = in.read();
            } catch (IOException e) {
                closeCode = -1;
                closeReason = e.toString();
                return null;
            }
            if (first < 0) {
                if (closeCode == -2) {
                    closeCode = -1;
                    closeReason = "dropped without a close frame";
                }
                return null;
            }
            byte[] payload = payload();
            int opcode = first & 0x0f;
            if (opcode == 8) {
                closeCode = payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
                closeReason = new String(payload, Math.min(2, payload.length), Math.max(0, payload.length - 2), StandardCharsets.UTF_8);
                return null;
            }
            if (opcode == 1) {
                return new String(payload, StandardCharsets.UTF_8);
            }
        }
    }

    /** The next frame with this event (frames before it skipped), parsed; fails when the socket closes first. */
    public JsonNode next(String event) throws IOException {
        String text;
        while ((text = next()) != null) {
            JsonNode frame = PusherSocket.JSON.readTree(text);
            if (event.equals(PusherSocket.event(frame))) {
                return frame;
            }
        }
        throw new IOException("closed (" + closeCode + " " + closeReason + ") before " + event);
    }

    /** Reads to the close and answers its code: -1 when the connection was dropped without a close frame. */
    public int awaitClose() throws IOException {
        while (next() != null) {
            // frames before the close
        }
        return closeCode;
    }

    /** The close frame's reason, once closed. */
    public String closeReason() {
        return closeReason;
    }

    /** The close code, once closed (-1: dropped; -2: still open). */
    public int closeCode() {
        return closeCode;
    }

    private byte[] payload() throws IOException {
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

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
