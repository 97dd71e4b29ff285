package io.presence.gateway.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link PresenceManager} must do; each implementation runs these tests through a subclass. */
public abstract class PresenceManagerContract {

    private static final ObjectMapper JSON = new ObjectMapper();

    protected abstract PresenceManager manager();

    private String channel;

    @BeforeEach
    void freshChannel() {
        channel = "presence-contract-" + UUID.randomUUID();
    }

    private static Member member(String id) {
        return new Member(id, JSON.createObjectNode().put("name", "user " + id));
    }

    @Test
    void aUserIsAnnouncedOnTheirFirstConnectionAndRemovedAfterTheirLast() throws Exception {
        PresenceManager p = manager();
        assertTrue(p.join(channel, "c1", member("1"), 100).firstConnectionOfUser());
        assertFalse(p.join(channel, "c2", member("1"), 100).firstConnectionOfUser());
        assertTrue(p.join(channel, "c3", member("2"), 100).firstConnectionOfUser());
        assertEquals(2, p.userCount(channel));

        assertFalse(p.leave(channel, "c1").orElseThrow().lastConnectionOfUser());
        PresenceManager.Leave last = p.leave(channel, "c2").orElseThrow();
        assertEquals("1", last.userId());
        assertTrue(last.lastConnectionOfUser());
        assertEquals(List.of("2"), p.members(channel).stream().map(Member::userId).toList());
    }

    @Test
    void joinAnswersTheMembersIncludingTheJoiner() throws Exception {
        PresenceManager p = manager();
        p.join(channel, "a", member("1"), 100);
        PresenceManager.Join join = p.join(channel, "b", member("2"), 100);
        assertEquals(List.of("1", "2"), join.members().stream().map(Member::userId).sorted().toList());
        assertEquals("user 2", join.members().stream().filter(m -> m.userId().equals("2")).findFirst().orElseThrow()
                .userInfo().get("name").asText());
    }

    @Test
    void leavingTwiceOrUnknownConnectionsChangeNothing() throws Exception {
        PresenceManager p = manager();
        assertTrue(p.leave(channel, "nobody").isEmpty());
        p.join(channel, "c1", member("1"), 100);
        assertTrue(p.leave(channel, "c1").isPresent());
        assertTrue(p.leave(channel, "c1").isEmpty());
        assertEquals(0, p.userCount(channel));
        assertTrue(p.members(channel).isEmpty());
    }

    @Test
    void joiningTwiceWithOneConnectionCountsOnce() throws Exception {
        PresenceManager p = manager();
        p.join(channel, "c1", member("1"), 100);
        assertFalse(p.join(channel, "c1", member("1"), 100).firstConnectionOfUser());
        assertTrue(p.leave(channel, "c1").orElseThrow().lastConnectionOfUser());
    }

    @Test
    void theCapCountsUsersNotConnections() throws Exception {
        PresenceManager p = manager();
        p.join(channel, "c1", member("1"), 2);
        p.join(channel, "c2", member("2"), 2);
        p.join(channel, "c3", member("2"), 2);
        assertThrows(PresenceManager.ChannelFull.class, () -> p.join(channel, "c4", member("3"), 2));
        assertEquals(2, p.userCount(channel));
    }

    @Test
    void concurrentJoinsAndLeavesAnnounceEachUserExactlyOnce() throws Exception {
        PresenceManager p = manager();
        int users = 50;
        int tabs = 4;
        AtomicInteger firsts = new AtomicInteger();
        AtomicInteger lasts = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int u = 0; u < users; u++) {
                for (int t = 0; t < tabs; t++) {
                    String user = Integer.toString(u);
                    String connection = u + "/" + t;
                    work.add(pool.submit(() -> {
                        if (p.join(channel, connection, member(user), 10_000).firstConnectionOfUser()) {
                            firsts.incrementAndGet();
                        }
                        if (p.leave(channel, connection).orElseThrow().lastConnectionOfUser()) {
                            lasts.incrementAndGet();
                        }
                        return null;
                    }));
                }
            }
            for (Future<?> f : work) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        // a user may come and go more than once, but every arrival is matched by exactly one departure
        assertEquals(firsts.get(), lasts.get());
        assertTrue(firsts.get() >= users);
        assertEquals(0, p.userCount(channel));
    }
}
