package io.presence.common.presence;

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

    public String control() {
        return prefix + ":control";
    }

    public String nodeLease(String node) {
        return prefix + ":node:{" + node + "}:lease";
    }

    public String nodes() {
        return prefix + ":nodes";
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

    /** A bus message: the socket id to skip (may be empty), a newline, the frame. */
    public static String busMessage(String exceptSocketId, String frame) {
        return (exceptSocketId == null ? "" : exceptSocketId) + "\n" + frame;
    }

    /** The {@code pusher_internal:member_removed} frame (data double-encoded, as every server frame). */
    public static String memberRemovedFrame(String channel, String userId) {
        ObjectNode data = JSON.createObjectNode().put("user_id", userId);
        ObjectNode frame = JSON.createObjectNode()
                .put("event", "pusher_internal:member_removed")
                .put("channel", channel)
                .put("data", data.toString());
        return frame.toString();
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
