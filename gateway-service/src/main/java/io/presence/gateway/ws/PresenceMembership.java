package io.presence.gateway.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.presence.common.app.AppLimits;
import io.presence.common.app.AppMeters;
import io.presence.common.presence.PresenceStore.Outcome;
import io.presence.common.presence.PresenceStore;
import io.presence.common.presence.PresenceDiff.Viewer;
import io.presence.common.store.MemberState;
import io.presence.gateway.hub.LocalChannel;
import io.presence.gateway.node.NodeIdentity;
import io.presence.gateway.node.Occupancy;
import io.presence.gateway.protocol.Frames;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Presence channels: a signed subscription joins the channel as its user ({@link PresenceStore}, which announces
 * a first connection), and the subscriber is admitted to the local channel once that has caught up with its join,
 * so it gets the member list including everyone announced before it, then every change once. Leaving and
 * re-registering after the node lost its lease are here too.
 */
@ApplicationScoped
public class PresenceMembership {

    private static final Logger LOG = Logger.getLogger(PresenceMembership.class);

    private final PresenceStore presence;
    private final Connections connections;
    private final Occupancy occupancy;
    private final NodeIdentity node;
    private final Frames frames;
    private final AppMeters meters;

    public PresenceMembership(PresenceStore presence, Connections connections, Occupancy occupancy, NodeIdentity node,
                            Frames frames, AppMeters meters) {
        this.presence = presence;
        this.connections = connections;
        this.occupancy = occupancy;
        this.node = node;
        this.frames = frames;
        this.meters = meters;
    }

    /**
     * Joins a presence channel as the member of checked channel_data ({@link #member}); the connection was attached to
     * {@code local} as that user. A join the store refuses (channel full, store unavailable) runs {@code unsubscribe}
     * and answers a subscription error.
     */
    void join(ClientConnection connection, String channel, JsonNode member, LocalChannel local, Runnable unsubscribe) {
        String userId = member.get("user_id").asText();
        JsonNode info = member.has("user_info") ? member.get("user_info") : frames.json().createObjectNode();
        String appId = connection.app().id();
        ClientConnection.Subscription subscription = connection.subscription(channel);
        presence.join(appId, channel, node.id(), connection.connectionId(), userId, info, connection.self(userId),
                        maxMembers(connection))
                .subscribe().with(joined -> {
                    if (connection.subscription(channel) != subscription || !connection.isOpen()) {
                        // unsubscribed or closed while joining: the leave may have run before the join, so leave again
                        leave(connection, channel, userId);
                        return;
                    }
                    if (joined.outcome() == Outcome.FULL) {
                        unsubscribe.run();
                        meters.refused(appId, "maxPresenceMembersPerChannel");
                        connection.send(frames.subscriptionError(channel, "LimitReached",
                                "presence channel " + channel + " is full (" + maxMembers(connection) + " members)", 4100));
                        return;
                    }
                    connection.knowSelf(userId, joined.member());
                    connection.setBlockers(userId, joined.blockers());
                    local.admit(connection, new Viewer(userId, joined.blockers()), joined.seq(), joined.member(), false,
                            connection.takeResume(channel));
                }, error -> {
                    LOG.warnf("joining %s failed: %s", channel, error.toString());
                    unsubscribe.run();
                    connection.send(frames.subscriptionError(channel, "ServiceUnavailable", "presence store unavailable, retry", 503));
                });
    }

    /** Removes the connection from the channel in the store; the departure (if it was the user's last) is announced there. */
    void leave(ClientConnection connection, String channel, String userId) {
        presence.leave(connection.app().id(), channel, node.id(), connection.connectionId(), userId).subscribe().with(left -> { },
                error -> LOG.warnf("leaving %s failed (the reaper cleans up if this node dies): %s", channel, error.toString()));
    }

    /**
     * Joins every presence connection of this node again after its lease had to be taken again (Redis lost its data,
     * or this node stalled past its lease), with each member as this node last knew it, so a user whose entry
     * survived announces nothing and one that was lost comes back as it was.
     */
    public Uni<Void> rejoinAll() {
        List<Uni<Void>> joins = new ArrayList<>();
        for (ClientConnection c : connections.all()) {
            c.subscriptions().forEach((channel, s) -> {
                if (s.presenceUser() == null) {
                    return;
                }
                MemberState known = s.channel().member(s.presenceUser());
                if (known == null) {
                    known = c.self(s.presenceUser());
                }
                JsonNode info = known == null ? frames.json().createObjectNode() : known.info();
                joins.add(presence.rejoin(c.app().id(), channel, node.id(), c.connectionId(), s.presenceUser(), info, known)
                        .onFailure().invoke(err -> LOG.warnf("re-joining %s failed: %s", channel, err.toString()))
                        .onFailure().recoverWithNull()
                        .replaceWithVoid());
            });
        }
        LOG.infof("re-joining %d presence connections", joins.size());
        joins.add(occupancy.replace(connections.localCounts()));
        return Uni.join().all(joins).andCollectFailures().replaceWithVoid();
    }

    /** The most distinct users a presence channel of the connection's app may have. */
    private static int maxMembers(ClientConnection connection) {
        int max = connection.app().limits().maxPresenceMembersPerChannel();
        return max < 0 ? Integer.MAX_VALUE : max;
    }

    /** The member that signed channel_data names (user_id as text, user_info), or null after answering a subscription error. */
    JsonNode member(ClientConnection connection, String channel, String channelData) {
        try {
            JsonNode parsed = frames.json().readTree(channelData);
            JsonNode userId = parsed == null ? null : parsed.path("user_id");
            if (userId == null || !(userId.isTextual() || userId.isNumber()) || userId.asText().isEmpty()) {
                throw new IllegalArgumentException("channel_data needs a user_id");
            }
            JsonNode userInfo = parsed.has("user_info") ? parsed.get("user_info") : frames.json().createObjectNode();
            Double maxKb = connection.app().limits().maxPresenceMemberSizeInKb();
            if (!AppLimits.withinKb(frames.json().writeValueAsBytes(userInfo).length, maxKb)) {
                meters.refused(connection.app().id(), "maxPresenceMemberSizeInKb");
                connection.send(frames.subscriptionError(channel, "LimitReached",
                        "user_info is larger than " + AppLimits.bytesOf(maxKb) + " bytes", 413));
                return null;
            }
            ((ObjectNode) parsed).put("user_id", userId.asText());
            return parsed;
        } catch (Exception e) {
            connection.send(frames.subscriptionError(channel, "InvalidChannelData", "channel_data must be JSON with a user_id", 400));
            return null;
        }
    }
}
