package io.presence.gateway.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.presence.common.redis.RedisCalls;
import io.presence.common.redis.RedisHashes;
import io.presence.common.store.PresenceStoreConfig;
import io.presence.gateway.console.ConsoleViews.OperatorSession;
import io.presence.gateway.protocol.Frames;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The operator console's live sessions, in Redis ({@code PresenceSchema#consoleSessions}, a hash of id to session):
 * every gateway sees a login, a logout and a revocation at once. Expired sessions are removed whenever the list is
 * written or read.
 */
@ApplicationScoped
public class ConsoleSessions {

    private static final Logger LOG = Logger.getLogger(ConsoleSessions.class);

    private final Redis redis;
    private final String key;
    private final ObjectMapper json;

    public ConsoleSessions(Redis redis, PresenceStoreConfig store, Frames frames) {
        this.redis = redis;
        this.key = store.schema().consoleSessions();
        this.json = frames.json();
    }

    /** Stores a new session. */
    public Uni<Void> save(OperatorSession session) {
        return RedisCalls.send(redis, Command.HSET, key, session.id(), write(session)).chain(this::all).replaceWithVoid();
    }

    /** The session of this id while it is live (not revoked, not expired). */
    public Uni<Optional<OperatorSession>> find(String id) {
        return RedisCalls.send(redis, Command.HGET, key, id)
                .map(value -> Optional.ofNullable(value == null ? null : read(value.toString()))
                        .filter(session -> session.expiresAt() > System.currentTimeMillis()));
    }

    /** Every live session, oldest first. */
    public Uni<List<OperatorSession>> all() {
        return RedisCalls.send(redis, Command.HGETALL, key).chain(reply -> {
            long now = System.currentTimeMillis();
            List<OperatorSession> live = new ArrayList<>();
            List<String> expired = new ArrayList<>();
            RedisHashes.forEach(reply, (id, value) -> {
                OperatorSession session = read(value);
                if (session == null || session.expiresAt() <= now) {
                    expired.add(id);
                } else {
                    live.add(session);
                }
            });
            live.sort(Comparator.comparingLong(OperatorSession::createdAt));
            if (expired.isEmpty()) {
                return Uni.createFrom().item(live);
            }
            List<String> args = new ArrayList<>(List.of(key));
            args.addAll(expired);
            return RedisCalls.send(redis, Command.HDEL, args.toArray(String[]::new)).replaceWith(live);
        });
    }

    /** Ends one session; false when there was no such session. */
    public Uni<Boolean> revoke(String id) {
        return RedisCalls.send(redis, Command.HDEL, key, id).map(removed -> removed.toLong() == 1);
    }

    /** Ends every session; how many there were. */
    public Uni<Long> revokeAll() {
        return RedisCalls.send(redis, Command.HLEN, key)
                .call(() -> RedisCalls.send(redis, Command.DEL, key))
                .map(count -> count.toLong());
    }

    private String write(OperatorSession session) {
        try {
            return json.writeValueAsString(session);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private OperatorSession read(String value) {
        try {
            return json.readValue(value, OperatorSession.class);
        } catch (JsonProcessingException e) {
            LOG.debugf("an unreadable console session is dropped: %s", e.toString());
            return null;
        }
    }
}
