package io.presence.gateway.presence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.presence.common.presence.PresenceSchema;
import io.presence.common.presence.PresenceStoreConfig;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Presence shared by every gateway through Redis (layout in {@link PresenceSchema}). Each connection is also
 * recorded in this node's set before it joins and removed after it leaves, so when this node dies the
 * presence-service reaper can remove exactly its connections.
 */
@ApplicationScoped
public class RedisPresenceManager implements PresenceManager {

    private final ReactiveRedisDataSource redis;
    private final PresenceSchema schema;
    private final NodeIdentity node;
    private final ObjectMapper json;

    public RedisPresenceManager(ReactiveRedisDataSource redis, PresenceStoreConfig config, NodeIdentity node, ObjectMapper json) {
        this.redis = redis;
        this.schema = config.schema();
        this.node = node;
        this.json = json;
    }

    @Override
    public Uni<Join> join(String appId, String channel, String connectionId, Member member, int cap) {
        String[] keys = schema.channelKeys(appId, channel);
        String entry = PresenceSchema.nodeEntry(appId, channel, connectionId);
        return redis.execute("SADD", schema.nodeConnections(node.id()), entry)
                .chain(() -> redis.execute("EVAL", PresenceSchema.JOIN_SCRIPT, "3", keys[0], keys[1], keys[2],
                        connectionId, member.userId(), member.userInfo().toString(), Integer.toString(cap)))
                .chain(result -> {
                    long outcome = result.toLong();
                    if (outcome < 0) {
                        return redis.execute("SREM", schema.nodeConnections(node.id()), entry)
                                .chain(() -> Uni.createFrom().failure(new ChannelFull(channel, cap)));
                    }
                    return members(appId, channel).map(members -> new Join(outcome == 1, members));
                });
    }

    @Override
    public Uni<Optional<Leave>> leave(String appId, String channel, String connectionId) {
        String[] keys = schema.channelKeys(appId, channel);
        return redis.execute("EVAL", PresenceSchema.LEAVE_SCRIPT, "3", keys[0], keys[1], keys[2], connectionId)
                .call(() -> redis.execute("SREM", schema.nodeConnections(node.id()),
                        PresenceSchema.nodeEntry(appId, channel, connectionId)))
                .map(RedisPresenceManager::toLeave);
    }

    static Optional<Leave> toLeave(Response result) {
        if (result == null || result.size() < 2) {
            return Optional.empty();
        }
        return Optional.of(new Leave(result.get(0).toString(), result.get(1).toLong() == 1));
    }

    @Override
    public Uni<List<Member>> members(String appId, String channel) {
        return redis.execute("HGETALL", schema.channelKeys(appId, channel)[2]).map(this::toMembers);
    }

    @Override
    public Uni<Integer> userCount(String appId, String channel) {
        return redis.execute("HLEN", schema.channelKeys(appId, channel)[1]).map(r -> r == null ? 0 : r.toInteger());
    }

    private List<Member> toMembers(Response hash) {
        List<Member> members = new ArrayList<>();
        RedisHashes.forEach(hash, (userId, userInfo) -> members.add(new Member(userId, parse(userInfo))));
        return members;
    }

    private JsonNode parse(String userInfo) {
        try {
            return json.readTree(userInfo);
        } catch (Exception e) {
            // written by join from a JSON node, so this only happens if someone edits Redis by hand
            return json.createObjectNode();
        }
    }
}
