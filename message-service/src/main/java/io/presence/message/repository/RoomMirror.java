package io.presence.message.repository;

import io.presence.common.app.AppRegistry;
import io.presence.common.event.AfterCommit;
import io.presence.common.presence.UserSetMirror;
import io.presence.common.store.PresenceSchema;
import io.presence.common.store.PresenceStoreConfig;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.quarkus.scheduler.Scheduled;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Mirrors room membership into the presence store ({@link PresenceSchema#rooms}: per user of the built-in app, the ids
 * of their rooms), where {@link io.presence.common.presence.PresenceVisibility} reads who shares a room with whom.
 * Each join and leave is written once its transaction has committed; a full resync at start-up and every few minutes
 * repairs what a Redis outage or restart lost. Redis being away delays a membership change by at most {@link #WAIT}
 * and never fails it.
 */
@ApplicationScoped
public class RoomMirror {

    /** Longest a committed change waits for Redis before it is left to the resync. */
    private static final Duration WAIT = Duration.ofSeconds(1);

    private final UserSetMirror sets;
    private final EntityManager em;
    private final TransactionSynchronizationRegistry transactions;

    public RoomMirror(Redis redis, PresenceStoreConfig config, AppRegistry apps, EntityManager em,
                      TransactionSynchronizationRegistry transactions) {
        PresenceSchema schema = config.schema();
        String appId = apps.mainId();
        this.sets = new UserSetMirror(redis, schema.roomUsers(appId), user -> schema.rooms(appId, user), WAIT);
        this.em = em;
        this.transactions = transactions;
    }

    /** The user became a member of the room (written once the transaction commits). */
    public void joined(long roomId, long userId) {
        AfterCommit.run(transactions, () -> sets.put(Long.toString(userId), Long.toString(roomId), true), () -> { });
    }

    /** The users are members of the room no more: they left, or it was deleted (written once the transaction commits). */
    public void left(long roomId, Collection<Long> userIds) {
        List<Long> users = List.copyOf(userIds);
        AfterCommit.run(transactions, () -> users.forEach(user -> sets.put(Long.toString(user), Long.toString(roomId), false)), () -> { });
    }

    @Scheduled(every = "5m", concurrentExecution = ConcurrentExecution.SKIP)
    void resyncSafely() {
        sets.resyncSafely(this::table, this::roomsOf);
    }

    /** Makes every rooms set in Redis equal to the room_members table; answers how many sets changed. */
    public int resync() {
        return sets.resync(table(), this::roomsOf);
    }

    /** Every user's rooms. */
    private Map<String, Set<String>> table() {
        Map<String, Set<String>> table = new HashMap<>();
        for (Object row : em.createNativeQuery("SELECT user_id, room_id FROM room_members").getResultList()) {
            Object[] r = (Object[]) row;
            table.computeIfAbsent(Long.toString(Rows.number(r[0])), k -> new HashSet<>()).add(Long.toString(Rows.number(r[1])));
        }
        return table;
    }

    /** One user's rooms, read now. */
    private Set<String> roomsOf(long id) {
        Set<String> rooms = new HashSet<>();
        for (Object room : em.createNativeQuery("SELECT room_id FROM room_members WHERE user_id = ?1").setParameter(1, id).getResultList()) {
            rooms.add(Long.toString(Rows.number(room)));
        }
        return rooms;
    }
}
