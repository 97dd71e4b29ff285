package io.presence.gateway.resume;

import io.presence.common.redis.RedisHashes;
import io.presence.common.redis.RedisScript;
import io.presence.common.store.PresenceSchema;
import io.presence.common.store.PresenceStoreConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a resumable client's positions wait between its sockets, in Redis (one hash per client and app, so any
 * gateway finds them): which socket owns the record, and for each channel the last sequence number the closed socket
 * acknowledged. The record lives twice the app's resume window, so a reconnect a little too late is still told what
 * it missed.
 */
@ApplicationScoped
public class ResumeStore {

    private static final RedisScript CLAIM = RedisScript.load("resume_claim.lua");
    private static final RedisScript RECORD = RedisScript.load("resume_record.lua");

    /**
     * What a socket's claim found.
     *
     * @param previousOwner the socket that owned the record before ('' when none): open somewhere, or closed
     *                      without recording (its gateway died)
     * @param released      the socket that last recorded ('' when none)
     */
    public record Claim(String previousOwner, String released) {
    }

    /**
     * A client's record as read.
     *
     * @param channels channel -> last acknowledged sequence number
     * @param released the socket that recorded them ('' when none)
     * @param at       when they were recorded (epoch ms, Redis's clock; 0 when never)
     * @param now      Redis's clock when read (epoch ms)
     */
    public record Positions(Map<String, Long> channels, String released, long at, long now) {

        /** No record. */
        public static final Positions NONE = new Positions(Map.of(), "", 0, 0);

        /** True when the positions were recorded longer ago than {@code window}. */
        public boolean olderThan(Duration window) {
            return at > 0 && now - at > window.toMillis();
        }
    }

    private final Redis redis;
    private final PresenceSchema schema;

    public ResumeStore(Redis redis, PresenceStoreConfig store) {
        this.redis = redis;
        this.schema = store.schema();
    }

    /** Makes {@code socketId} the owner of the client's record; answers who owned it and who recorded last. */
    public Uni<Claim> claim(String appId, String clientId, String socketId, Duration ttl) {
        return CLAIM.run(redis, List.of(schema.resume(appId, clientId)), List.of(socketId, Long.toString(ttl.toMillis())))
                .map(reply -> new Claim(reply.get(0).toString(), reply.get(1).toString()));
    }

    /** Records the positions a closing socket acknowledged, replacing the record's channels. */
    public Uni<Void> record(String appId, String clientId, String socketId, Map<String, Long> positions, Duration ttl) {
        List<String> args = new ArrayList<>(2 + positions.size() * 2);
        args.add(socketId);
        args.add(Long.toString(ttl.toMillis()));
        positions.forEach((channel, seq) -> {
            args.add(channel);
            args.add(Long.toString(seq));
        });
        return RECORD.run(redis, List.of(schema.resume(appId, clientId)), args).replaceWithVoid();
    }

    /** The client's record ({@link Positions#NONE} when there is none). */
    public Uni<Positions> read(String appId, String clientId) {
        Uni<Response> record = redis.send(Request.cmd(Command.HGETALL).arg(schema.resume(appId, clientId)));
        Uni<Response> time = redis.send(Request.cmd(Command.TIME));
        return Uni.combine().all().unis(record, time).asTuple().map(both -> {
            Response fields = both.getItem1();
            Response clock = both.getItem2();
            long now = clock.get(0).toLong() * 1000 + clock.get(1).toLong() / 1000;
            Map<String, Long> channels = new HashMap<>();
            Map<String, String> marks = new HashMap<>();
            RedisHashes.forEach(fields, (field, value) -> {
                if (field.startsWith("~")) {
                    marks.put(field, value);
                } else {
                    channels.put(field, Long.parseLong(value));
                }
            });
            String released = marks.getOrDefault("~released", "");
            long at = Long.parseLong(marks.getOrDefault("~at", "0"));
            return channels.isEmpty() && released.isEmpty() ? Positions.NONE : new Positions(Map.copyOf(channels), released, at, now);
        });
    }

    /** The socket that last recorded for the client ('' when none): a new owner waits for its predecessor's record. */
    public Uni<String> released(String appId, String clientId) {
        return redis.send(Request.cmd(Command.HGET).arg(schema.resume(appId, clientId)).arg("~released"))
                .map(reply -> reply == null ? "" : reply.toString());
    }
}
