package io.presence.common.presence;

import io.presence.common.redis.RedisCalls;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * A relation its owning service copies into Redis as one set per user ({@code {u:<app>:<user>}:<kind>}, see
 * {@link io.presence.common.store.PresenceSchema}) for {@link PresenceVisibility} to read, plus an index of the users that have such a set,
 * so a resync finds them without a key scan (and works the same on a Redis Cluster). The owner adds and removes
 * members after each commit and resyncs from its tables now and then, which repairs what a Redis outage lost.
 * Blocking calls: for transaction observers and scheduled jobs, never for an event loop.
 */
public final class UserSetMirror {

    private static final Logger LOG = Logger.getLogger(UserSetMirror.class);

    private final Redis redis;
    private final String index;
    private final Function<String, String> setOf;
    private final Duration wait;

    /**
     * @param index the key of the index of users with a set
     * @param setOf the key of one user's set
     * @param wait  the longest one command may wait for Redis before it fails
     */
    public UserSetMirror(Redis redis, String index, Function<String, String> setOf, Duration wait) {
        this.redis = redis;
        this.index = index;
        this.setOf = setOf;
        this.wait = wait;
    }

    /** Puts a member into a user's set or takes it out; a failure is logged, and left to the next resync. */
    public void put(String user, String member, boolean present) {
        try {
            if (present) {
                add(user, member);
            } else {
                remove(user, member);
            }
        } catch (RuntimeException e) {
            LOG.warnf("%s of %s: %s %s failed (the next resync repairs it): %s", setOf.apply(user), user, present ? "adding" : "removing",
                    member, e.toString());
        }
    }

    /** {@link #resync}, for a scheduled job: a failure is logged, and the next run tries again. */
    public void resyncSafely(Supplier<Map<String, Set<String>>> table, LongFunction<Set<String>> now) {
        try {
            resync(table.get(), now);
        } catch (RuntimeException e) {
            LOG.warnf("resync of %s failed (will retry): %s", index, e.toString());
        }
    }

    /** Adds members to a user's set. */
    public void add(String user, String... members) {
        send(Command.SADD, index, user);
        send(Command.SADD, with(setOf.apply(user), members));
    }

    /** Takes members out of a user's set (the index keeps the user until the next resync). */
    public void remove(String user, String... members) {
        send(Command.SREM, with(setOf.apply(user), members));
    }

    /**
     * Makes every set equal to its owner's table: {@code table} is all of it (user -> members; users left out have
     * none), {@code now} reads one user's members anew (users are accounts, with numeric ids: any other id has none). A set that differs from the table is brought to what {@code now}
     * reads right then, so a change committed while the table was being read is not undone (a change between that
     * read and the write may be, until the next resync). Answers how many sets changed.
     */
    public int resync(Map<String, Set<String>> table, LongFunction<Set<String>> now) {
        Set<String> users = new HashSet<>(RedisCalls.strings(send(Command.SMEMBERS, index)));
        users.addAll(table.keySet());
        int changed = 0;
        for (String user : users) {
            String key = setOf.apply(user);
            Set<String> have = new HashSet<>(RedisCalls.strings(send(Command.SMEMBERS, key)));
            Set<String> want = table.getOrDefault(user, Set.of());
            if (!have.equals(want)) {
                want = user.matches("[0-9]{1,18}") ? now.apply(Long.parseLong(user)) : Set.of();
            }
            Set<String> extra = new HashSet<>(have);
            extra.removeAll(want);
            Set<String> missing = new HashSet<>(want);
            missing.removeAll(have);
            if (!missing.isEmpty()) {
                send(Command.SADD, with(key, missing.toArray(String[]::new)));
            }
            if (!extra.isEmpty()) {
                send(Command.SREM, with(key, extra.toArray(String[]::new)));
            }
            changed += missing.isEmpty() && extra.isEmpty() ? 0 : 1;
            send(want.isEmpty() ? Command.SREM : Command.SADD, index, user);
        }
        return changed;
    }

    private static String[] with(String key, String[] members) {
        List<String> args = new ArrayList<>(members.length + 1);
        args.add(key);
        args.addAll(List.of(members));
        return args.toArray(String[]::new);
    }

    private io.vertx.mutiny.redis.client.Response send(Command command, String... args) {
        return RedisCalls.send(redis, command, args).await().atMost(wait);
    }
}
