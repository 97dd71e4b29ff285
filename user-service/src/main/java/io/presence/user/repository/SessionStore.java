package io.presence.user.repository;

import io.presence.common.redis.RedisScript;
import io.presence.user.config.UserConfig;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.keys.KeyCommands;
import io.quarkus.redis.datasource.set.SetCommands;
import io.quarkus.redis.datasource.sortedset.ScoreRange;
import io.quarkus.redis.datasource.sortedset.SortedSetCommands;
import io.quarkus.redis.datasource.sortedset.ZRangeArgs;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Sessions in Redis, keyed by the SHA-256 of the token (the token itself is never stored).
 * {@code <prefix>:session:v2:<hash>} is a hash of the account id, the creation time, when it expires and the sockets
 * the session authorized ({@code redis/session.lua}); it is valid for the TTL, renewed on every use, but never past
 * the absolute lifetime from its creation, and is kept {@link #GRACE} longer so that the sweeper can still close the
 * sockets of a session that expired unused. {@code <prefix>:sessions-of:<account>} lists an account's session
 * hashes, for ending them all; {@code <prefix>:session-deadlines} (sorted set: session hash -> when it expires, as
 * last seen) lists the sessions that authorized sockets, for the sweeper.
 */
@ApplicationScoped
public class SessionStore {

    private static final RedisScript SCRIPT = RedisScript.load("session.lua");
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final String SOCKET = "socket:";
    /** How long a session's record outlives its validity, for the sweeper to end it and close its sockets. */
    public static final Duration GRACE = Duration.ofHours(1);

    /** What using a session found: its account while valid, or the sockets of the expired session it just ended. */
    public record Touched(Optional<Long> account, List<AuthorizedSocket> ended) {
    }

    /** What sweeping a session found: when it expires while valid, or the sockets of the session it just ended. */
    public record Swept(Optional<Long> expiresAt, List<AuthorizedSocket> ended) {
    }

    /** A socket a session authorized: its app and its Pusher socket id. */
    public record AuthorizedSocket(String appId, String socketId) {
    }

    /** What recording a socket for a session found. */
    public enum Recorded { RECORDED, AT_CAP, SESSION_GONE }

    private final Redis redis;
    private final SetCommands<String, String> sets;
    private final SortedSetCommands<String, String> deadlines;
    private final KeyCommands<String> keys;
    private final String prefix;

    public SessionStore(Redis redis, RedisDataSource data, UserConfig config) {
        this.redis = redis;
        this.sets = data.set(String.class);
        this.deadlines = data.sortedSet(String.class);
        this.keys = data.key();
        this.prefix = config.keyPrefix();
    }

    public void create(String tokenHash, long accountId, Duration ttl, Duration lifetime) {
        run(tokenHash, "create", Long.toString(accountId), millis(ttl), millis(lifetime), millis(GRACE));
        sets.sadd(accountKey(accountId), tokenHash);
        keys.expire(accountKey(accountId), lifetime);
    }

    /**
     * The account of a valid session, sliding its expiry (never past its lifetime); no account when the session is
     * unknown, or expired (then it is ended here, and the sockets it authorized are answered for closing).
     */
    public Touched touch(String tokenHash, Duration ttl, Duration lifetime) {
        Response answer = run(tokenHash, "touch", millis(ttl), millis(lifetime), millis(GRACE));
        if (answer == null) {
            return new Touched(Optional.empty(), List.of());
        }
        if (answer.type() == ResponseType.MULTI) {
            deadlines.zrem(deadlinesKey(), tokenHash);
            return new Touched(Optional.empty(), sockets(answer));
        }
        return new Touched(Optional.of(answer.toLong()), List.of());
    }

    /**
     * Records a socket the session authorized, unless the session is gone or has authorized {@code max} sockets,
     * and lists the session for the sweeper.
     */
    public Recorded recordSocket(String tokenHash, AuthorizedSocket socket, int max) {
        long answer = run(tokenHash, "authorize", SOCKET + socket.appId() + ":" + socket.socketId(), Integer.toString(max)).toLong();
        if (answer > 0) {
            deadlines.zadd(deadlinesKey(), answer, tokenHash);
            return Recorded.RECORDED;
        }
        return answer == 0 ? Recorded.AT_CAP : Recorded.SESSION_GONE;
    }

    /** Sessions that authorized sockets and expire (as last seen) by {@code now}, at most {@code max} of them. */
    public List<String> dueForSweep(long now, int max) {
        return deadlines.zrangebyscore(deadlinesKey(), ScoreRange.from(Double.NEGATIVE_INFINITY, now), new ZRangeArgs().limit(0, max));
    }

    /**
     * Looks at a session listed for the sweeper: still valid (its expiry slid: listed again with it), expired (ended
     * here, its sockets answered for closing) or gone (no longer listed).
     */
    public Swept sweep(String tokenHash) {
        Response answer = run(tokenHash, "sweep");
        if (answer == null) {
            deadlines.zrem(deadlinesKey(), tokenHash);
            return new Swept(Optional.empty(), List.of());
        }
        if (answer.type() == ResponseType.MULTI) {
            deadlines.zrem(deadlinesKey(), tokenHash);
            return new Swept(Optional.empty(), sockets(answer));
        }
        deadlines.zadd(deadlinesKey(), answer.toLong(), tokenHash);
        return new Swept(Optional.of(answer.toLong()), List.of());
    }

    /** Ends one session; answers the sockets it authorized. */
    public List<AuthorizedSocket> delete(String tokenHash, long accountId) {
        List<AuthorizedSocket> sockets = end(tokenHash);
        sets.srem(accountKey(accountId), tokenHash);
        return sockets;
    }

    /** Ends every session of the account but {@code kept} (null: all of them); answers the sockets they authorized. */
    public List<AuthorizedSocket> deleteAll(long accountId, String kept) {
        List<AuthorizedSocket> sockets = new ArrayList<>();
        Set<String> hashes = sets.smembers(accountKey(accountId));
        for (String hash : hashes) {
            if (!hash.equals(kept)) {
                sockets.addAll(end(hash));
                sets.srem(accountKey(accountId), hash);
            }
        }
        return sockets;
    }

    private List<AuthorizedSocket> end(String tokenHash) {
        List<AuthorizedSocket> sockets = sockets(run(tokenHash, "end"));
        deadlines.zrem(deadlinesKey(), tokenHash);
        return sockets;
    }

    private static List<AuthorizedSocket> sockets(Response fields) {
        List<AuthorizedSocket> sockets = new ArrayList<>();
        for (Response field : fields) {
            String text = field.toString().substring(SOCKET.length());
            int split = text.lastIndexOf(':');
            sockets.add(new AuthorizedSocket(text.substring(0, split), text.substring(split + 1)));
        }
        return sockets;
    }

    private Response run(String tokenHash, String... args) {
        return SCRIPT.run(redis, List.of(sessionKey(tokenHash)), List.of(args)).await().atMost(TIMEOUT);
    }

    private static String millis(Duration duration) {
        return Long.toString(duration.toMillis());
    }

    private String sessionKey(String tokenHash) {
        return prefix + ":session:v2:" + tokenHash;
    }

    private String deadlinesKey() {
        return prefix + ":session-deadlines";
    }

    private String accountKey(long accountId) {
        return prefix + ":sessions-of:" + accountId;
    }
}
