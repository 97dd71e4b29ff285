package io.presence.gateway.console;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 requests to the gateway from a chosen loopback address (any of 127.0.0.0/8 on Linux): the gateway sees a
 * different client address for each, as it would for clients on the internet, with nothing trusted or forwarded.
 */
final class FromAddress {

    /** An answer: status, the headers (names in lower case, repeated ones each), and the body. */
    record Answer(int status, List<Map.Entry<String, String>> headers, String body) {

        String header(String name) {
            return headers.stream().filter(h -> h.getKey().equals(name)).map(Map.Entry::getValue).findFirst().orElse(null);
        }

        /** The value of a cookie this answer sets, or null. */
        String cookie(String name) {
            return headers.stream().filter(h -> h.getKey().equals("set-cookie") && h.getValue().startsWith(name + "="))
                    .map(h -> h.getValue().substring(name.length() + 1).split(";", 2)[0]).findFirst().orElse(null);
        }
    }

    private FromAddress() {
    }

    static Answer send(String from, int port, String method, String path, Map<String, String> headers, String body) {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setSoTimeout(30_000);
            byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nConnection: close\r\nContent-Length: " + content.length + "\r\n");
            headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            OutputStream out = socket.getOutputStream();
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            out.write(content);
            out.flush();
            return read(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A login attempt with a password (and a device cookie, or null). */
    static Answer login(String from, int port, String password, String device) {
        Map<String, String> headers = device == null ? Map.of("Content-Type", "application/json")
                : Map.of("Content-Type", "application/json", "Cookie", OperatorAuth.DEVICE_COOKIE + "=" + device);
        return send(from, port, "POST", "/console/api/session", headers, "{\"password\":\"" + password + "\"}");
    }

    private static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all); // Connection: close: the answer ends with the connection
        String text = all.toString(StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        String[] lines = text.substring(0, end).split("\r\n");
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.add(Map.entry(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim()));
        }
        return new Answer(Integer.parseInt(lines[0].split(" ")[1]), headers, text.substring(end + 4));
    }
}
