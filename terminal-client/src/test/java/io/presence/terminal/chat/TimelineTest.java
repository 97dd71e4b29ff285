package io.presence.terminal.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import io.presence.terminal.api.SuiteApi;
import io.presence.terminal.api.Wire;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** History, live messages and catch-up against a small in-process history API: each message printed once, in order. */
class TimelineTest {

    private final TreeMap<Long, String> history = new TreeMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private RecordingConsole console;
    private Timeline timeline;

    @BeforeEach
    void serveHistory() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/rooms/7/messages", exchange -> {
            requests.add(exchange.getRequestURI().getQuery());
            Map<String, String> query = new TreeMap<>();
            for (String pair : exchange.getRequestURI().getQuery().split("&")) {
                query.put(pair.split("=")[0], pair.split("=")[1]);
            }
            int limit = Integer.parseInt(query.get("limit"));
            long before = Long.parseLong(query.getOrDefault("before", String.valueOf(Long.MAX_VALUE)));
            List<Long> older = new ArrayList<>(history.headMap(before, false).descendingKeySet());
            List<Long> ids = older.subList(0, Math.min(limit, older.size()));
            List<String> page = new ArrayList<>();
            for (int i = ids.size() - 1; i >= 0; i--) {
                page.add(message(ids.get(i), history.get(ids.get(i))));
            }
            boolean more = !ids.isEmpty() && history.headMap(ids.get(ids.size() - 1)).size() > 0;
            byte[] body = ("{\"messages\":[" + String.join(",", page) + "],\"nextBefore\":"
                    + (more ? "\"" + ids.get(ids.size() - 1) + "\"" : "null") + "}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/api/rooms/7/cursor", exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        SuiteApi api = new SuiteApi(URI.create("http://127.0.0.1:" + server.getAddress().getPort()));
        console = new RecordingConsole();
        Target room = Target.room(new Wire.Room("7", "tea", "public", null, "presence-room-7"));
        timeline = new Timeline(room, api, new Out(console), new Render(console.theme(), ZoneOffset.UTC, "1"), Runnable::run);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static String message(long id, String text) {
        return "{\"id\":\"" + id + "\",\"author\":{\"id\":\"2\",\"handle\":\"bob\"},\"kind\":\"user\",\"text\":\"" + text
                + "\",\"createdAt\":\"2026-11-25T10:" + String.format("%02d", id % 60) + ":00Z\"}";
    }

    private static Wire.Message live(long id, String text) {
        return new Wire.Message(String.valueOf(id), new Wire.Author("2", "bob"), "user", text, null,
                "2026-11-25T10:" + String.format("%02d", id % 60) + ":00Z", null, null);
    }

    private List<String> messagesPrinted() {
        return console.printed.stream().filter(l -> l.contains("<bob>")).map(l -> l.substring(l.indexOf("<bob>") + 6)).toList();
    }

    @Test
    void opensWithTheLastHundredAndPagesBackWithMore() {
        for (long id = 1; id <= 150; id++) {
            history.put(id, "m" + id);
        }
        timeline.open();
        assertEquals(100, messagesPrinted().size());
        assertEquals("m51", messagesPrinted().get(0));
        assertEquals("m150", messagesPrinted().get(99));
        timeline.older();
        assertEquals(150, messagesPrinted().size());
        assertEquals("m1", messagesPrinted().get(100));
        timeline.older();
        assertEquals(150, messagesPrinted().size(), "nothing older than the first");
    }

    @Test
    void theChannelsOwnEventsCloseTheGapSoCatchUpReadsOnlyOnePage() {
        history.put(1L, "first");
        timeline.open();
        for (long id = 2; id <= 300; id++) {
            history.put(id, "m" + id);
            timeline.live(live(id, "m" + id));
        }
        requests.clear();
        assertEquals(0, timeline.catchUp());
        assertEquals(1, requests.size(), "one page: " + requests);
    }

    @Test
    void liveMessagesAndTheirEchoesArePrintedOnce() {
        history.put(1L, "first");
        timeline.open();
        timeline.sent(live(2, "second"));
        timeline.live(live(2, "second"));
        history.put(2L, "second");
        assertEquals(0, timeline.catchUp(), "the history has nothing new");
        assertEquals(List.of("first", "second"), messagesPrinted());
    }

    @Test
    void catchUpPrintsWhatWasMissedInOrderEvenAcrossPages() {
        for (long id = 1; id <= 10; id++) {
            history.put(id, "m" + id);
        }
        timeline.open();
        for (long id = 11; id <= 260; id++) {
            history.put(id, "m" + id);
        }
        timeline.sent(live(255, "m255")); // my own send was answered while the channel was away
        assertEquals(249, timeline.catchUp());
        List<String> printed = messagesPrinted();
        assertEquals(260, printed.size());
        assertEquals("m255", printed.get(10));
        assertEquals("m11", printed.get(11));
        assertEquals("m260", printed.get(259));
        assertEquals(0, timeline.catchUp());
    }
}
