package io.presence.message;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.presence.testsupport.FakeUserService;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
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
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The fault test of issue 5: a steady stream of sends, each retried with its key until acknowledged, while the
 * service's own PostgreSQL is stopped (fast shutdown) and started again. Every acknowledged message must be stored
 * exactly once, under the id it was acknowledged with; while the database is down, sends are refused with 503
 * problem+json rather than left hanging, and readiness is DOWN; nothing ever answers 500.
 */
@QuarkusTest
@WithTestResource(PrivatePostgres.class)
@WithTestResource(FakeUserService.class)
class PostgresOutageTest {

    private static final int SENDERS = 4;
    /** How long anything expected may take: many times the service's own 3 s database timeouts. */
    private static final Duration CEILING = Duration.ofSeconds(30);
    /** A send not answered within the ceiling hangs, which the service must never do (it refuses with 503 instead). */
    private static final RestAssuredConfig CLIENT = RestAssuredConfig.config().httpClient(HttpClientConfig.httpClientConfig()
            .setParam("http.connection.timeout", (int) CEILING.toMillis()).setParam("http.socket.timeout", (int) CEILING.toMillis()));

    @Test
    void everyAcknowledgedSendIsStoredExactlyOnceAcrossARestart() throws Exception {
        TestUser ana = TestUser.create("ana");
        String room = RoomResourceTest.createRoom(ana, "outage", "public");
        int beforeOutage;
        int duringOutage;
        int afterRestart;
        Map<String, String> acknowledged;
        try (Senders senders = new Senders(ana, room)) {
            acknowledged = senders.acknowledged;
            // the fault is injected while the stream provably flows: sends have been acknowledged again and again
            senders.awaitAcknowledged(5 * SENDERS);
            PrivatePostgres.server.stop();
            // sampled once the server is down (stop waits for it): sends committed before are acknowledged until now
            beforeOutage = acknowledged.size();
            awaitReadiness(503);
            // the outage is felt by the traffic itself: refusals keep coming while the database is away
            Awaitility.await().atMost(CEILING).until(() -> senders.answered(503) >= 2 * SENDERS);
            duringOutage = acknowledged.size();
            PrivatePostgres.server.restart();
            awaitReadiness(200);
            afterRestart = acknowledged.size();
            senders.awaitAcknowledged(afterRestart + 5 * SENDERS);
            senders.finish();
            assertTrue(senders.failures.isEmpty(), "every send ends acknowledged, refusals are 503 problems, none hangs: "
                    + senders.failures);
            System.out.printf("[outage] %d messages acknowledged (%d before the stop, %d after the restart); answers %s%n",
                    acknowledged.size(), beforeOutage, afterRestart, senders.statuses);
        }
        // each sender has at most one send in flight, which may commit just before the stop and be answered after it
        assertTrue(duringOutage - beforeOutage <= SENDERS, "nothing is acknowledged while the database is down but what was committing");

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
    }

    /** Readiness answers {@code status} (it checks PostgreSQL) within the ceiling. */
    private static void awaitReadiness(int status) {
        Awaitility.await().atMost(CEILING).pollInterval(Duration.ofMillis(200))
                .until(() -> given().config(CLIENT).get("/q/health/ready").statusCode() == status);
    }

    /** Senders that each send one message after another, retrying each with its key until it is acknowledged. */
    private static final class Senders implements AutoCloseable {
        final Map<String, String> acknowledged = new ConcurrentHashMap<>();
        final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        /** Senders start new sends while set. */
        private final AtomicBoolean streaming = new AtomicBoolean(true);
        /** Set when the test ends, early or not: senders stop retrying. */
        private final AtomicBoolean abandoned = new AtomicBoolean();
        private final ExecutorService pool = Executors.newFixedThreadPool(SENDERS);
        private final List<Future<?>> running = new ArrayList<>();

        Senders(TestUser user, String room) {
            for (int s = 0; s < SENDERS; s++) {
                int sender = s;
                running.add(pool.submit(() -> stream(user, room, sender)));
            }
        }

        private void stream(TestUser user, String room, int sender) {
            for (int n = 0; streaming.get(); n++) {
                String key = "s" + sender + "-" + n;
                while (!abandoned.get()) {
                    Response r;
                    try {
                        r = given().config(CLIENT).header("Authorization", "Bearer " + user.token()).contentType(ContentType.JSON)
                                .body("{\"text\":\"message " + key + "\",\"clientMessageId\":\"" + key + "\"}")
                                .post("/api/rooms/" + room + "/messages");
                    } catch (Exception e) {
                        failures.add(key + ": no answer: " + e);
                        return;
                    }
                    statuses.computeIfAbsent(r.statusCode(), k -> new AtomicInteger()).incrementAndGet();
                    if (r.statusCode() == 201 || r.statusCode() == 200) {
                        acknowledged.put(key, r.path("id"));
                        break;
                    }
                    if (r.statusCode() != 503 || !"application/problem+json".equals(r.contentType())) {
                        failures.add(key + ": " + r.statusCode() + " " + r.asString());
                        return;
                    }
                    pause();
                }
            }
        }

        /** At least {@code count} sends are acknowledged within the ceiling. */
        void awaitAcknowledged(int count) {
            Awaitility.await().atMost(CEILING).until(() -> acknowledged.size() >= count);
        }

        /** How many answers had this status so far. */
        int answered(int status) {
            AtomicInteger seen = statuses.get(status);
            return seen == null ? 0 : seen.get();
        }

        /** Lets each sender finish the send it has in flight and start no other. */
        void finish() throws Exception {
            streaming.set(false);
            for (Future<?> f : running) {
                f.get(CEILING.toSeconds(), TimeUnit.SECONDS);
            }
        }

        /** A sender's pause before it retries a refused send, as a client backs off (it waits for nothing). */
        private static void pause() {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            abandoned.set(true);
            pool.shutdownNow();
        }
    }
}
