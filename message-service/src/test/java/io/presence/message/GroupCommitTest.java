package io.presence.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.presence.common.testing.Bus;
import io.presence.testsupport.FakeUserService;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Concurrent sends are stored in shared transactions (SendBatcher): members and a non-member sending at once, with
 * repeated keys, still get their own rows, the repeats the stored one, the non-member 403, and the room's channel
 * carries each stored message once, in id order.
 */
@QuarkusTest
@WithTestResource(MessageStores.class)
@WithTestResource(FakeUserService.class)
class GroupCommitTest {

    private static final int SENDS = 30;

    @Test
    void concurrentSendsAreAnsweredWithTheirOwnRowsAndPublishedOnceInOrder() throws Exception {
        TestUser ana = TestUser.create("ana");
        TestUser bob = TestUser.create("bob");
        TestUser carl = TestUser.create("carl");
        TestUser dave = TestUser.create("dave");
        String room = RoomResourceTest.createRoom(ana, "batched", "public");
        bob.as().put("/api/rooms/" + room + "/members/me").then().statusCode(200);
        carl.as().put("/api/rooms/" + room + "/members/me").then().statusCode(200);
        Map<String, String> stored = new ConcurrentHashMap<>(); // author:key -> id
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (Bus bus = Bus.listen("presence-room-" + room)) {
            List<Future<?>> senders = new ArrayList<>();
            List<TestUser> members = List.of(ana, bob, carl);
            for (TestUser member : members) {
                for (int copy = 0; copy < 2; copy++) { // two threads send the same keys: repeats race the originals
                    senders.add(pool.submit(() -> {
                        start.await();
                        for (int n = 0; n < SENDS; n++) {
                            String key = "k" + n;
                            Response r = member.as().body("{\"text\":\"m" + n + "\",\"clientMessageId\":\"" + key + "\"}")
                                    .post("/api/rooms/" + room + "/messages");
                            if (r.statusCode() != 201 && r.statusCode() != 200) {
                                problems.add(member.handle() + " " + key + ": " + r.statusCode() + " " + r.asString());
                                continue;
                            }
                            String id = r.path("id");
                            String before = stored.putIfAbsent(member.idText() + ":" + key, id);
                            if (before != null && !before.equals(id)) {
                                problems.add(member.handle() + " " + key + " answered " + id + " and " + before);
                            }
                        }
                        return null;
                    }));
                }
            }
            senders.add(pool.submit(() -> {
                start.await();
                for (int n = 0; n < SENDS; n++) {
                    Response r = dave.as().body("{\"text\":\"no\",\"clientMessageId\":\"d" + n + "\"}").post("/api/rooms/" + room + "/messages");
                    if (r.statusCode() != 403) {
                        problems.add("non-member answered " + r.statusCode());
                    }
                }
                return null;
            }));
            start.countDown();
            for (Future<?> f : senders) {
                f.get();
            }
            assertTrue(problems.isEmpty(), problems.toString());
            assertEquals(members.size() * SENDS, stored.size());

            // every send has answered, so each stored message's event is reserved: all of them come before the marker
            List<Long> published = new ArrayList<>();
            for (Bus.Frame frame : bus.nextUntilMarker()) {
                assertEquals("message", frame.event(), frame.data().toString());
                assertEquals("user", frame.data().get("kind").asText(), frame.data().toString());
                published.add(frame.data().get("id").asLong());
            }
            assertEquals(stored.values().stream().map(Long::parseLong).sorted().toList(), published,
                    "exactly the stored messages, each once, in id order");
        } finally {
            pool.shutdownNow();
        }
    }
}
