package io.presence.message;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.presence.testsupport.FakeUserService;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The fault test of issue 5: a steady stream of sends, each retried with its key until acknowledged, while the
 * service's own PostgreSQL is stopped (fast shutdown) and started again. Every acknowledged message must be stored
 * exactly once, under the id it was acknowledged with; while the database is down, sends answer 503 problem+json
 * quickly and readiness is DOWN; nothing ever answers 500.
 */
@QuarkusTest
@WithTestResource(PrivatePostgres.class)
@WithTestResource(FakeUserService.class)
class PostgresOutageTest {

    private static final int SENDERS = 4;
    private static final RestAssuredConfig SHORT_TIMEOUTS = RestAssuredConfig.config().httpClient(HttpClientConfig.httpClientConfig()
            .setParam("http.connection.timeout", 5000).setParam("http.socket.timeout", 15000));

    @Test
    void everyAcknowledgedSendIsStoredExactlyOnceAcrossARestart() throws Exception {
        TestUser ana = TestUser.create("ana");
        String room = RoomResourceTest.createRoom(ana, "outage", "public");
        Map<String, String> acknowledged = new ConcurrentHashMap<>();
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger slowRefusals = new AtomicInteger();
        AtomicBoolean streaming = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(SENDERS);
        List<Future<?>> senders = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
            int sender = s;
            senders.add(pool.submit(() -> {
                for (int n = 0; streaming.get(); n++) {
                    String key = "s" + sender + "-" + n;
                    long deadline = System.currentTimeMillis() + 60_000;
                    while (true) {
                        long started = System.nanoTime();
                        Response r;
                        try {
                            r = given().config(SHORT_TIMEOUTS).header("Authorization", "Bearer " + ana.token())
                                    .contentType(ContentType.JSON)
                                    .body("{\"text\":\"message " + key + "\",\"clientMessageId\":\"" + key + "\"}")
                                    .post("/api/rooms/" + room + "/messages");
                        } catch (Exception e) {
                            failures.add(key + ": no answer: " + e);
                            return;
                        }
                        long millis = (System.nanoTime() - started) / 1_000_000;
                        statuses.computeIfAbsent(r.statusCode(), k -> new AtomicInteger()).incrementAndGet();
                        if (r.statusCode() == 201 || r.statusCode() == 200) {
                            acknowledged.put(key, r.path("id"));
                            break;
                        }
                        if (r.statusCode() != 503 || !"application/problem+json".equals(r.contentType())) {
                            failures.add(key + ": " + r.statusCode() + " " + r.asString());
                            return;
                        }
                        if (millis > 8000) {
                            slowRefusals.incrementAndGet();
                        }
                        if (System.currentTimeMillis() > deadline) {
                            failures.add(key + ": not acknowledged within 60 s");
                            return;
                        }
                        sleep(100);
                    }
                }
            }));
        }

        sleep(1500);
        int flowing = acknowledged.size();
        PrivatePostgres.server.stop();
        // sampled once the server is down (stop waits for it): sends committed before are acknowledged until now
        int beforeOutage = acknowledged.size();
        long down = System.nanoTime();
        awaitReadiness(503, 15);
        long readinessDownMillis = (System.nanoTime() - down) / 1_000_000;
        sleep(2500);
        int duringOutage = acknowledged.size();
        PrivatePostgres.server.restart();
        awaitReadiness(200, 30);
        int afterRestart = acknowledged.size();
        awaitAtLeast(acknowledged, afterRestart + 20, 30);
        streaming.set(false);
        for (Future<?> f : senders) {
            f.get(90, TimeUnit.SECONDS);
        }
        pool.shutdown();

        assertTrue(failures.isEmpty(), "every send ends acknowledged, refusals are 503 problems: " + failures);
        assertTrue(flowing > 0, "the stream was flowing before the outage");
        assertTrue(statuses.containsKey(503), "the outage was felt: " + statuses);
        assertEquals(0, slowRefusals.get(), "503s come quickly");
        assertTrue(readinessDownMillis < 15_000);
        assertTrue(duringOutage - beforeOutage <= SENDERS, "hardly anything is acknowledged while the database is down");

        Map<String, List<String>> stored = new HashMap<>();
        try (Connection c = PrivatePostgres.database.connect(PrivatePostgres.database.database());
             var s = c.prepareStatement("SELECT client_message_id, id FROM messages.messages WHERE room_id = ? AND kind = 'user'")) {
            s.setLong(1, Long.parseLong(room));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    stored.computeIfAbsent(r.getString(1), k -> new ArrayList<>()).add(Long.toString(r.getLong(2)));
                }
            }
        }
        List<String> problems = new ArrayList<>();
        acknowledged.forEach((key, id) -> {
            List<String> rows = stored.getOrDefault(key, List.of());
            if (!rows.equals(List.of(id))) {
                problems.add(key + " acknowledged as " + id + " but stored as " + rows);
            }
        });
        stored.keySet().stream().filter(k -> !acknowledged.containsKey(k)).forEach(k -> problems.add(k + " stored, never acknowledged"));
        assertTrue(problems.isEmpty(), problems.toString());
        System.out.printf("[outage] %d messages acknowledged and stored exactly once (%d before the stop, %d after the restart);"
                + " answers %s; readiness DOWN after %d ms%n", acknowledged.size(), beforeOutage, afterRestart, statuses, readinessDownMillis);
    }

    private static void awaitReadiness(int status, int seconds) {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        int last = -1;
        while (System.currentTimeMillis() < deadline) {
            last = given().config(SHORT_TIMEOUTS).get("/q/health/ready").statusCode();
            if (last == status) {
                return;
            }
            sleep(200);
        }
        fail("readiness is " + last + ", not " + status + ", after " + seconds + " s");
    }

    private static void awaitAtLeast(Map<String, String> acknowledged, int count, int seconds) {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (acknowledged.size() < count && System.currentTimeMillis() < deadline) {
            sleep(100);
        }
        assertTrue(acknowledged.size() >= count, "the stream resumed after the restart: " + acknowledged.size() + " < " + count);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
