package io.presence.common.presence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The Redis layout of presence, shared by the gateways (which join and leave) and presence-service (whose reaper
 * removes the connections of dead gateways). Every key of one channel carries the hash tag {@code {app:channel}},
 * so each script touches one Redis Cluster slot.
 *
 * <ul>
 *   <li>{@code <prefix>:{<app>:<channel>}:conns} hash: connection id -> user id</li>
 *   <li>{@code <prefix>:{<app>:<channel>}:users} hash: user id -> number of connections</li>
 *   <li>{@code <prefix>:{<app>:<channel>}:info} hash: user id -> user_info JSON</li>
 *   <li>{@code <prefix>:node:{<node>}:conns} set: the presence connections a gateway holds, as {@code app NUL channel NUL connection}</li>
 *   <li>{@code <prefix>:node:{<node>}:subs} hash: {@code app NUL channel} -> subscribers on that gateway (occupancy, subscription_count)</li>
 *   <li>{@code <prefix>:node:{<node>}:lease} string with a TTL: the gateway is alive while it exists</li>
 *   <li>{@code <prefix>:nodes} sorted set: node -> lease expiry (epoch ms), where the reaper looks for dead gateways</li>
 *   <li>{@code <prefix>:{u:<user>}:state} hash: the user's {@code status}, {@code text}, {@code expiresAt} and
 *       {@code lastSeen} (epoch ms)</li>
 *   <li>{@code <prefix>:{u:<user>}:conns} set: the user's presence connections on every gateway, as node set entries;
 *       the user is online while it is not empty</li>
 *   <li>{@code <prefix>:{u:<user>}:blockers} set: the users who blocked this user (kept by user-service); this user
 *       must not see their presence</li>
 *   <li>{@code <prefix>:status-expiry} sorted set: user -> when their status expires (epoch ms)</li>
 *   <li>pub/sub {@code <prefix>:bus:<app>:<channel>}: frames for the subscribers of a channel on every gateway</li>
 *   <li>pub/sub {@code <prefix>:control}: commands for every gateway (e.g. terminate a user's connections)</li>
 * </ul>
 */
public final class PresenceSchema {

    /** Joins a connection; see the script's header for KEYS and ARGV. */
    public static final String JOIN_SCRIPT = load("join.lua");
    /** Leaves a connection; see the script's header for KEYS and ARGV. */
    public static final String LEAVE_SCRIPT = load("leave.lua");
    /** Adjusts a node's subscriber count of a channel; see the script's header for KEYS and ARGV. */
    public static final String COUNT_SCRIPT = load("count.lua");
    /** Records a user's presence connection and reads their status; see the script's header. */
    public static final String USER_JOIN_SCRIPT = load("user_join.lua");
    /** Forgets a user's presence connection, recording last seen after the last; see the script's header. */
    public static final String USER_LEAVE_SCRIPT = load("user_leave.lua");
    /** Sets a user's status; see the script's header. */
    public static final String STATUS_SCRIPT = load("status.lua");
    /** Replaces a member's user_info in one channel; see the script's header. */
    public static final String MEMBER_INFO_SCRIPT = load("member_info.lua");

    private static final char SEPARATOR = '\u0000';
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String prefix;

    public PresenceSchema(String prefix) {
        this.prefix = prefix;
    }

    /** KEYS for the join and leave scripts, in script order. */
    public String[] channelKeys(String appId, String channel) {
        String tag = prefix + ":{" + appId + ":" + channel + "}";
        return new String[] {tag + ":conns", tag + ":users", tag + ":info"};
    }

    public String nodeConnections(String node) {
        return prefix + ":node:{" + node + "}:conns";
    }

    public String nodeSubscriptions(String node) {
        return prefix + ":node:{" + node + "}:subs";
    }

    /** Field of a node's subscription hash. */
    public static String subscriptionField(String appId, String channel) {
        return appId + SEPARATOR + channel;
    }

    /** The control command telling gateways that the set of users who blocked this user changed. */
    public static String blocksCommand(String userId) {
        return "blocks" + SEPARATOR + userId;
    }

    public String control() {
        return prefix + ":control";
    }

    public String nodeLease(String node) {
        return prefix + ":node:{" + node + "}:lease";
    }

    public String nodes() {
        return prefix + ":nodes";
    }

    /** The user's state hash. */
    public String userState(String userId) {
        return prefix + ":{u:" + userId + "}:state";
    }

    /** The user's set of presence connections. */
    public String userConnections(String userId) {
        return prefix + ":{u:" + userId + "}:conns";
    }

    /** The users who blocked this user. */
    public String blockers(String userId) {
        return prefix + ":{u:" + userId + "}:blockers";
    }

    public String statusExpiry() {
        return prefix + ":status-expiry";
    }

    public String busChannel(String appId, String channel) {
        return prefix + ":bus:" + appId + ":" + channel;
    }

    /** The pattern matching every bus channel (for tools that watch all traffic). */
    public String busPrefix() {
        return prefix + ":bus:";
    }

    /** An entry of a node's connection set. */
    public static String nodeEntry(String appId, String channel, String connectionId) {
        return appId + SEPARATOR + channel + SEPARATOR + connectionId;
    }

    /** The (app, channel, connection) of a node set entry, or null when malformed. */
    public static String[] parseNodeEntry(String entry) {
        String[] parts = entry.split(String.valueOf(SEPARATOR), 3);
        return parts.length == 3 ? parts : null;
    }

    /** A bus message for every subscriber of the channel but one socket (may be null); see {@link BusMessage}. */
    public static String busMessage(String exceptSocketId, String frame) {
        return BusMessage.toAll(frame, exceptSocketId).encode();
    }

    /** The {@code pusher_internal:member_removed} frame (data double-encoded, as every server frame). */
    public static String memberRemovedFrame(String channel, String userId) {
        return frame("pusher_internal:member_removed", channel, JSON.createObjectNode().put("user_id", userId));
    }

    /** The {@code pusher_internal:member_added} frame. */
    public static String memberAddedFrame(String channel, String userId, JsonNode userInfo) {
        ObjectNode data = JSON.createObjectNode().put("user_id", userId);
        data.set("user_info", userInfo);
        return frame("pusher_internal:member_added", channel, data);
    }

    /** The {@code pusher:member_updated} frame (a status change; clients bind it like any event). */
    public static String memberUpdatedFrame(String channel, String userId, JsonNode userInfo) {
        ObjectNode data = JSON.createObjectNode().put("user_id", userId);
        data.set("user_info", userInfo);
        return frame("pusher:member_updated", channel, data);
    }

    private static String frame(String event, String channel, ObjectNode data) {
        return JSON.createObjectNode().put("event", event).put("channel", channel).put("data", data.toString()).toString();
    }

    private static String load(String name) {
        try (InputStream in = PresenceSchema.class.getResourceAsStream("/presence/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing script /presence/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
