package io.presence.common.store;

import java.util.List;

/**
 * The Redis layout of presence and events, shared by every service. Every key of one channel carries the hash tag
 * {@code {app:channel}}, and every key of one user of an app {@code {u:app:user}}, so each script touches one Redis
 * Cluster slot. Nothing of a user is shared between apps: the same user id in two apps is two users.
 *
 * <ul>
 *   <li>{@code <prefix>:{<app>:<channel>}:conns} hash: connection id -> user id</li>
 *   <li>{@code <prefix>:{<app>:<channel>}:users} hash: user id -> number of connections</li>
 *   <li>{@code <prefix>:{<app>:<channel>}:info} hash: user id -> user_info JSON as signed at the user's first connection</li>
 *   <li>{@code <prefix>:{<app>:<channel>}:status} hash: user id -> status JSON with its version (see EventCodec)</li>
 *   <li>{@code <prefix>:{<app>:<channel>}:pending} hash: user id -> a status change that found the user not yet
 *       joined (read by the join in flight; expires)</li>
 *   <li>{@code <prefix>:{<app>:<channel>}:hidden} hash: user id -> whether the member's status (stored or pending)
 *       hides them from the world, as {@link StatusVisibility} decided it: {@code until:version}</li>
 *   <li>{@code <prefix>:{<app>:<channel>}:seq} string: the channel's last event sequence number</li>
 *   <li>{@code <prefix>:{<app>:<channel>}:events} stream: recent durable events, entry id = sequence number, fields
 *   {@code e} (the event) and {@code t} (when it was stored, epoch ms)</li>
 *   <li>{@code <prefix>:{<app>:<channel>}:floor} string: the highest sequence number trimmed from the stream for its
 *   age (a read from before it is incomplete)</li>
 *   <li>{@code <prefix>:{<app>:<channel>}:ids} sorted set: recent event ids by sequence number (idempotent publishing)</li>
 *   <li>pub/sub {@code <prefix>:{<app>:<channel>}:bus}: the channel's events, for every gateway with subscribers</li>
 *   <li>{@code <prefix>:node:{<node>}:conns} set: the presence connections a gateway holds, as {@code app NUL channel NUL connection}</li>
 *   <li>{@code <prefix>:node:{<node>}:subs} hash: {@code app NUL channel} -> subscribers on that gateway (occupancy, subscription_count)</li>
 *   <li>{@code <prefix>:node:{<node>}:lease} string with a TTL: the gateway is alive while it exists</li>
 *   <li>{@code <prefix>:node:{<node>}:reaper} string with a TTL: the presence-service replica reaping a dead gateway</li>
 *   <li>{@code <prefix>:nodes} sorted set: node -> lease expiry (epoch ms), where the reaper looks for dead gateways</li>
 *   <li>{@code <prefix>:{u:<app>:<user>}:state} hash: the user's {@code status}, {@code text}, {@code expiresAt}, status
 *       version {@code v}, {@code hidden} (whether the status hides them, as {@link StatusVisibility} decided it:
 *       {@code until:version}), {@code lastSeen} (epoch ms) and {@code wv}, the number of their last watchlist transition</li>
 *   <li>{@code <prefix>:{u:<app>:<user>}:conns} set: the user's presence and signed-in connections on every gateway,
 *       as node set entries (a signed-in one has the channel {@code #server-to-user-<user>}); the user is online while
 *       it is not empty</li>
 *   <li>{@code <prefix>:{u:<app>:<user>}:blockers} set: the users of the same app who blocked this user (kept by
 *       user-service, for the built-in app's users); this user must not see their presence</li>
 *   <li>{@code <prefix>:blocked-users:<app>} set: the users of the app who have a blockers set (user-service's index
 *       for resyncs)</li>
 *   <li>{@code <prefix>:{u:<app>:<user>}:contacts} set: the user's accepted contacts (kept by user-service, for the
 *       built-in app's users; {@link io.presence.common.presence.PresenceVisibility} reads it); index {@code <prefix>:contact-users:<app>}</li>
 *   <li>{@code <prefix>:{u:<app>:<user>}:rooms} set: the ids of the rooms the user is a member of (kept by
 *       message-service, for the built-in app's users; {@link io.presence.common.presence.PresenceVisibility} reads it); index
 *       {@code <prefix>:room-users:<app>}</li>
 *   <li>{@code <prefix>:{u:<app>:<user>}:watchers} set: the signed-in connections that have the user on their
 *       watchlist ({@code app NUL watcher NUL connection}; always of the same app)</li>
 *   <li>{@code <prefix>:node:{<node>}:signed-in} hash: a gateway's signed-in connections (node set entries) -> their
 *       watchlists (user ids joined by NUL), for the reaper</li>
 *   <li>{@code <prefix>:app-status-expiry} sorted set: {@code app NUL user} -> when their status expires (epoch ms)</li>
 *   <li>{@code <prefix>:{<app>:<channel>}:subs} string: the channel's subscribers on every gateway (occupied while &gt; 0)</li>
 *   <li>{@code <prefix>:{<app>:<channel>}:subcount} hash: when the channel's subscription count last went out, and
 *       whether a newer one waits</li>
 *   <li>{@code <prefix>:{<app>:<channel>}:cache} string: the last event of a cache channel, kept 30 minutes</li>
 *   <li>{@code <prefix>:{<app>:<channel>}:departed} hash: members a reaper removed (user -> when), kept an hour, so a
 *       gateway re-registering them is announced while one re-registering after Redis lost its data is not</li>
 *   <li>{@code <prefix>:{<app>:<channel>}:vacated} string: set when a reaper left the channel without subscribers, the
 *       same for channel_occupied</li>
 *   <li>{@code <prefix>:{<app>:<channel>}:departures} sorted set: recent departures (user id, or '' for the channel's
 *       vacancy) by when they happened (server clock, microseconds), so the next arrival's webhook names the departure
 *       it follows; kept a little longer than the webhook grace period</li>
 *   <li>{@code <prefix>:{webhooks}} stream: webhooks waiting to be sent (consumer group {@code senders})</li>
 *   <li>{@code <prefix>:{webhooks}:sender} string with a TTL: the presence-service replica that sends webhooks</li>
 *   <li>pub/sub {@code <prefix>:control}: commands for every gateway (see ControlCommand)</li>
 *   <li>{@code <prefix>:{app:<app>}:conns} hash: node -> the app's connections on that gateway (its maxConnections
 *       quota; a reaper drops a dead node's field)</li>
 *   <li>{@code <prefix>:{app:<app>}:rate:<kind>:<second>} string: the app's backend events or API reads in that
 *       second (its per-second budgets), expiring after two seconds</li>
 *   <li>{@code <prefix>:{apps}} hash: the app store's snapshot, {@code version} and {@code apps} (JSON), written by
 *       user-service after every change and read by every service's AppRegistry</li>
 * </ul>
 *
 * <p>The layout before apps were tenants: {@link LegacyUserLayout}.
 */
public final class PresenceSchema {

    private static final char SEPARATOR = '\u0000';

    private final String prefix;

    public PresenceSchema(String prefix) {
        this.prefix = prefix;
    }

    /** The keys and bus channel of one channel, all in its slot. */
    public record ChannelKeys(String conns, String users, String info, String status, String pending, String seq,
                              String events, String ids, String bus, String subscribers, String subscriptionCount, String cache,
                              String departed, String vacated, String departures, String hidden, String floor) {
    }

    public ChannelKeys channel(String appId, String channel) {
        String tag = prefix + ":{" + appId + ":" + channel + "}";
        return new ChannelKeys(tag + ":conns", tag + ":users", tag + ":info", tag + ":status", tag + ":pending",
                tag + ":seq", tag + ":events", tag + ":ids", tag + ":bus", tag + ":subs", tag + ":subcount", tag + ":cache",
                tag + ":departed", tag + ":vacated", tag + ":departures", tag + ":hidden", tag + ":floor");
    }

    /** One app's connections per gateway (a hash node -> count). */
    public String appConnections(String appId) {
        return prefix + ":{app:" + appId + "}:conns";
    }

    /** One app's counter of a kind ({@code events}, {@code reads}) in one second (epoch seconds). */
    public String appRate(String appId, String kind, long second) {
        return prefix + ":{app:" + appId + "}:rate:" + kind + ":" + second;
    }

    /** The app store's snapshot (a hash: version, apps). */
    public String apps() {
        return prefix + ":{apps}";
    }

    /** The stream of webhooks waiting to be sent. */
    public String webhooks() {
        return prefix + ":{webhooks}";
    }

    /** Which presence-service replica sends webhooks (a lease). */
    public String webhookSender() {
        return prefix + ":{webhooks}:sender";
    }

    /** The service instances that report to the operator console: a sorted set scored by when each report expires. */
    public String consoleReports() {
        return prefix + ":console:reports";
    }

    /** The latest webhooks queued (a capped stream, read by the operator console's channel log; never consumed). */
    public String consoleWebhooks() {
        return prefix + ":console:webhooks";
    }

    /** The operator console's live sessions: a hash of session id to its JSON (who, from where, until when). */
    public String consoleSessions() {
        return prefix + ":console:sessions";
    }

    /** One service instance's latest report to the operator console (a hash). */
    public String consoleReport(String instance) {
        return prefix + ":console:report:" + instance;
    }

    /**
     * The version of the relation between two users (contact, request, block): user-service counts it up after every
     * committed change, so a cached answer of an older version is never used (message-service's relation cache). Not
     * per app: relations are between user-service's accounts, which are the built-in app's users only.
     */
    public String relationVersion(long a, long b) {
        return prefix + ":rel:{" + Math.min(a, b) + ":" + Math.max(a, b) + "}";
    }

    /** The bus channel of a channel. */
    public String busChannel(String appId, String channel) {
        return channel(appId, channel).bus();
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

    /** Which presence-service replica is reaping a dead gateway (a string with a TTL, in the node's slot). */
    public String nodeReaper(String node) {
        return prefix + ":node:{" + node + "}:reaper";
    }

    public String nodes() {
        return prefix + ":nodes";
    }

    /** The user's state hash. */
    public String userState(String appId, String userId) {
        return userTag(appId, userId) + ":state";
    }

    /** The user's set of presence connections. */
    public String userConnections(String appId, String userId) {
        return userTag(appId, userId) + ":conns";
    }

    /** The users of the same app who blocked this user. */
    public String blockers(String appId, String userId) {
        return userTag(appId, userId) + ":blockers";
    }

    /** The user's accepted contacts (user ids of the same app). */
    public String contacts(String appId, String userId) {
        return userTag(appId, userId) + ":contacts";
    }

    /** The users of an app that have a contacts set (for resyncs). */
    public String contactUsers(String appId) {
        return prefix + ":contact-users:" + appId;
    }

    /** The rooms the user is a member of (room ids). */
    public String rooms(String appId, String userId) {
        return userTag(appId, userId) + ":rooms";
    }

    /** The users of an app that have a rooms set (for resyncs). */
    public String roomUsers(String appId) {
        return prefix + ":room-users:" + appId;
    }

    /** The signed-in connections watching this user: {@code app NUL watcher NUL connection}. */
    public String watchers(String appId, String userId) {
        return userTag(appId, userId) + ":watchers";
    }

    /** The hash tag of one user of one app: all their keys share one Redis Cluster slot. */
    private String userTag(String appId, String userId) {
        return prefix + ":{u:" + appId + ":" + userId + "}";
    }

    /** A gateway's signed-in connections (node set entries) -> their watchlists (user ids joined by NUL). */
    public String nodeSignedIn(String node) {
        return prefix + ":node:{" + node + "}:signed-in";
    }

    /**
     * A resumable client of an app (its client id from {@code /c/<clientId>/app/<key>}): a hash of channel -> the
     * last sequence number its socket acknowledged, and {@code ~owner} (the open socket), {@code ~released} (the
     * socket that recorded), {@code ~at} (when, epoch ms).
     */
    public String resume(String appId, String clientId) {
        return prefix + ":{resume:" + appId + ":" + clientId + "}";
    }

    /** The users of an app that have a blockers set. */
    public String blockedUsers(String appId) {
        return prefix + ":blocked-users:" + appId;
    }

    /** When statuses expire: {@link #appUser} -> epoch ms. */
    public String statusExpiry() {
        return prefix + ":app-status-expiry";
    }

    /** A user of an app as one value ({@code app NUL user}), as the status expiry lists them. */
    public static String appUser(String appId, String userId) {
        return appId + SEPARATOR + userId;
    }

    /** The (app, user) of an {@link #appUser} value, or null when malformed. */
    public static String[] parseAppUser(String value) {
        String[] parts = value.split(String.valueOf(SEPARATOR), 2);
        return parts.length == 2 ? parts : null;
    }

    /** The keys of the layout before apps were tenants, for moving what is left of them. */
    public LegacyUserLayout legacy() {
        return new LegacyUserLayout(prefix);
    }

    /** An entry of a node's (and a user's) connection set. */
    public static String nodeEntry(String appId, String channel, String connectionId) {
        return appId + SEPARATOR + channel + SEPARATOR + connectionId;
    }

    /** Joins values with the separator the layout uses (never part of an id or channel name). */
    public static String joined(java.util.Collection<String> values) {
        return String.join(String.valueOf(SEPARATOR), values);
    }

    /** Values joined by {@link #joined}, or by the separator in a script. */
    public static List<String> split(String joined) {
        return joined.isEmpty() ? List.of() : List.of(joined.split(String.valueOf(SEPARATOR), -1));
    }

    /** The (app, channel, connection) of a node set entry, or null when malformed. */
    public static String[] parseNodeEntry(String entry) {
        String[] parts = entry.split(String.valueOf(SEPARATOR), 3);
        return parts.length == 3 ? parts : null;
    }
}
