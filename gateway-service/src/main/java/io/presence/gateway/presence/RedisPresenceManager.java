package io.presence.gateway.presence;

import com.fasterxml.jackson.databind.JsonNode;
import io.presence.common.presence.PresenceSchema;
import io.presence.common.presence.RedisHashes;
import io.presence.common.presence.UserPresenceStore;
import io.presence.common.presence.UserStatus;
import io.presence.common.presence.PresenceStoreConfig;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

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
    private final UserPresenceStore users;
    /**
     * user_info JSON -> parsed, shared read-only: a join storm reads the same member list again and again, and
     * parsing each entry every time was most of its cost. Cleared when it grows past {@link #PARSED_LIMIT}.
     */
    private final Map<String, JsonNode> parsedInfo = new ConcurrentHashMap<>();
    private static final int PARSED_LIMIT = 100_000;

    public RedisPresenceManager(ReactiveRedisDataSource redis, PresenceStoreConfig config, NodeIdentity node, UserPresenceStore users) {
        this.redis = redis;
        this.schema = config.schema();
        this.node = node;
        this.users = users;
    }

    /**
     * Records the connection on this node and on the user, overlays the user's stored status on the signed
     * user_info, then joins. A status change racing with the join has either seen this connection (and announced
     * itself in this channel) or is caught by reading the status again after a first join.
     */
    @Override
    public Uni<Join> join(String appId, String channel, String connectionId, Member member, int cap) {
        String[] keys = schema.channelKeys(appId, channel);
        String entry = PresenceSchema.nodeEntry(appId, channel, connectionId);
        return redis.execute("SADD", schema.nodeConnections(node.id()), entry)
                .chain(() -> users.connect(member.userId(), entry, UserStatus.suggestedBy(member.userInfo())))
                .chain(status -> {
                    Member stored = new Member(member.userId(), status.overlay(member.userInfo()));
                    return redis.execute("EVAL", PresenceSchema.JOIN_SCRIPT, "3", keys[0], keys[1], keys[2],
                                    connectionId, member.userId(), stored.userInfo().toString(), Integer.toString(cap))
                            .chain(result -> {
                                long outcome = result.toLong();
                                if (outcome < 0) {
                                    return redis.execute("SREM", schema.nodeConnections(node.id()), entry)
                                            .chain(() -> users.disconnect(member.userId(), entry))
                                            .chain(() -> Uni.createFrom().failure(new ChannelFull(channel, cap)));
                                }
                                Uni<Void> settled = outcome == 1 ? catchUp(appId, channel, member.userId(), status) : Uni.createFrom().voidItem();
                                return settled.chain(() -> redis.execute("HGET", keys[2], member.userId()))
                                        .chain(info -> members(appId, channel).map(members -> new Join(outcome == 1, members,
                                                info == null ? stored : new Member(member.userId(), users.parse(info.toString())))));
                            });
                });
    }

    /** Announces a status that changed between reading it and joining with it. */
    private Uni<Void> catchUp(String appId, String channel, String userId, UserStatus joinedWith) {
        return users.status(userId).chain(now -> now.equals(joinedWith)
                ? Uni.createFrom().voidItem()
                : users.announce(appId, channel, userId, joinedWith, now).replaceWithVoid());
    }

    @Override
    public Uni<Optional<Leave>> leave(String appId, String channel, String connectionId) {
        String[] keys = schema.channelKeys(appId, channel);
        String entry = PresenceSchema.nodeEntry(appId, channel, connectionId);
        return redis.execute("EVAL", PresenceSchema.LEAVE_SCRIPT, "3", keys[0], keys[1], keys[2], connectionId)
                .call(() -> redis.execute("SREM", schema.nodeConnections(node.id()), entry))
                .map(this::toLeave)
                .call(leave -> leave.isPresent() ? users.disconnect(leave.get().userId(), entry) : Uni.createFrom().voidItem());
    }

    /** The outcome of the leave script (see its header). */
    Optional<Leave> toLeave(Response result) {
        if (result == null || result.size() < 2) {
            return Optional.empty();
        }
        boolean last = result.get(1).toLong() == 1;
        boolean visible = !last || result.size() < 3 || !UserStatus.invisible(users.parse(result.get(2).toString()));
        return Optional.of(new Leave(result.get(0).toString(), last, visible));
    }

    @Override
    public Uni<List<Member>> members(String appId, String channel) {
        return redis.execute("HGETALL", schema.channelKeys(appId, channel)[2]).map(this::toMembers);
    }

    private JsonNode parsed(String userInfo) {
        JsonNode node = parsedInfo.get(userInfo);
        if (node == null) {
            if (parsedInfo.size() >= PARSED_LIMIT) {
                parsedInfo.clear();
            }
            node = users.parse(userInfo);
            parsedInfo.put(userInfo, node);
        }
        return node;
    }

    @Override
    public Uni<Integer> userCount(String appId, String channel) {
        return members(appId, channel).map(List::size);
    }

    private List<Member> toMembers(Response hash) {
        List<Member> members = new ArrayList<>();
        RedisHashes.forEach(hash, (userId, userInfo) -> {
            Member member = new Member(userId, parsed(userInfo));
            if (!member.invisible()) {
                members.add(member);
            }
        });
        return members;
    }
}
