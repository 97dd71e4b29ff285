package io.presence.gateway.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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

    private static final String APP = "contract-app";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private PresenceManager.Join join(String connection, String user, int cap) {
        return manager().join(APP, channel, connection, member(user), cap).await().atMost(WAIT);
    }

    private Optional<PresenceManager.Leave> leave(String connection) {
        return manager().leave(APP, channel, connection).await().atMost(WAIT);
    }

    private int userCount() {
        return manager().userCount(APP, channel).await().atMost(WAIT);
    }

    private List<Member> members() {
        return manager().members(APP, channel).await().atMost(WAIT);
    }

    private static Member member(String id) {
        return new Member(id, JSON.createObjectNode().put("name", "user " + id));
    }

    @Test
    void aUserIsAnnouncedOnTheirFirstConnectionAndRemovedAfterTheirLast() {
        assertTrue(join("c1", "1", 100).firstConnectionOfUser());
        assertFalse(join("c2", "1", 100).firstConnectionOfUser());
        assertTrue(join("c3", "2", 100).firstConnectionOfUser());
        assertEquals(2, userCount());

        assertFalse(leave("c1").orElseThrow().lastConnectionOfUser());
        PresenceManager.Leave last = leave("c2").orElseThrow();
        assertEquals("1", last.userId());
        assertTrue(last.lastConnectionOfUser());
        assertEquals(List.of("2"), members().stream().map(Member::userId).toList());
    }

    @Test
    void joinAnswersTheMembersIncludingTheJoiner() throws Exception {
        join("a", "1", 100);
        PresenceManager.Join join = join("b", "2", 100);
        assertEquals(List.of("1", "2"), join.members().stream().map(Member::userId).sorted().toList());
        assertEquals("user 2", join.members().stream().filter(m -> m.userId().equals("2")).findFirst().orElseThrow()
                .userInfo().get("name").asText());
    }

    @Test
    void leavingTwiceOrUnknownConnectionsChangeNothing() throws Exception {
        assertTrue(leave("nobody").isEmpty());
        join("c1", "1", 100);
        assertTrue(leave("c1").isPresent());
        assertTrue(leave("c1").isEmpty());
        assertEquals(0, userCount());
        assertTrue(members().isEmpty());
    }

    @Test
    void joiningTwiceWithOneConnectionCountsOnce() throws Exception {
        join("c1", "1", 100);
        assertFalse(join("c1", "1", 100).firstConnectionOfUser());
        assertTrue(leave("c1").orElseThrow().lastConnectionOfUser());
    }

    @Test
    void theCapCountsUsersNotConnections() throws Exception {
        join("c1", "1", 2);
        join("c2", "2", 2);
        join("c3", "2", 2);
        assertThrows(PresenceManager.ChannelFull.class, () -> join("c4", "3", 2));
        assertEquals(2, userCount());
    }

    @Test
    void concurrentJoinsAndLeavesAnnounceEachUserExactlyOnce() throws Exception {
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
                        if (join(connection, user, 10_000).firstConnectionOfUser()) {
                            firsts.incrementAndGet();
                        }
                        if (leave(connection).orElseThrow().lastConnectionOfUser()) {
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
        assertEquals(0, userCount());
    }
}
