package io.presence.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** A reachable Redis server. */
public record RedisEndpoint(String host, int port, String password, boolean embedded) {

    /** The URL in the form the Quarkus Redis client takes ({@code quarkus.redis.hosts}). */
    public String url() {
        String auth = password == null || password.isEmpty() ? ""
                : ":" + URLEncoder.encode(password, StandardCharsets.UTF_8).replace("+", "%20") + "@";
        return "redis://" + auth + host + ":" + port;
    }

    /** Sends PING (after AUTH when a password is set) and reads the answer; throws when Redis does not answer PONG. */
    public void ping() throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 2000);
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            if (password != null && !password.isEmpty()) {
                out.write(("AUTH " + password + "\r\n").getBytes(StandardCharsets.UTF_8));
                expectLine(in, "+OK");
            }
            out.write("PING\r\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            expectLine(in, "+PONG");
        }
    }

    /** The text of {@code INFO <section>} (for tools that read Redis's own counters). */
    public String info(String section) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 2000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            if (password != null && !password.isEmpty()) {
                out.write(("AUTH " + password + "\r\n").getBytes(StandardCharsets.UTF_8));
                expectLine(in, "+OK");
            }
            out.write(("INFO " + section + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            String header = readLine(in);
            if (!header.startsWith("$")) {
                throw new IOException("INFO answered " + header);
            }
            byte[] body = in.readNBytes(Integer.parseInt(header.substring(1)));
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    private static void expectLine(InputStream in, String expected) throws IOException {
        String line = readLine(in);
        if (!line.equals(expected)) {
            throw new IOException("expected " + expected + " but Redis answered '" + line + "'");
        }
    }

    @Override
    public String toString() {
        return (embedded ? "embedded " : "") + "Redis " + host + ":" + port;
    }
}
