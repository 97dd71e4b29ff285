package io.presence.gateway.console;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;

/** What the console API answers and takes. */
public final class ConsoleViews {

    private ConsoleViews() {
    }

    /** The operator's login. */
    public record Login(@NotBlank String password) {
    }

    /**
     * One service instance as its latest report shows it: {@code state} is {@code live}, {@code stalled} (a gateway
     * whose lease holds but whose report is late), {@code reaped} (a gateway whose lease lapsed), {@code stopped}
     * (shut down cleanly) or {@code gone} (a backend whose reports stopped).
     */
    public record Instance(String instance, String service, String node, String version, long startedAt, long reportedAt,
                           String state, Long leaseAgeMs, Map<String, Double> meters) {
    }

    /** The cluster at one moment; rates are per second since the sample before. */
    public record Sample(long at, int connections, Map<String, Integer> connectionsByNode, int subscriptions, int members,
                         double eventsPublishedPerSecond, double eventsDeliveredPerSecond, double messagesPerSecond,
                         double webhooksDeliveredPerSecond, double webhooksRetriedPerSecond, double webhooksFailedPerSecond,
                         double webhookLagSeconds, Double redisMs, Double databaseMs) {
    }

    /** The latest sample, the samples of the last minutes (oldest first), every instance, and the apps. */
    public record Overview(Sample current, List<Sample> history, List<Instance> instances, List<String> apps) {
    }

    /** An occupied channel. */
    public record ChannelRow(String name, int subscriptionCount, Integer userCount) {
    }

    /** A member of a presence channel, with the user's status and last seen. */
    public record Member(String id, JsonNode info, String status, String text, int connections, long lastSeen) {
    }

    /** One channel: occupancy and, for presence channels, its members (at most 200 listed, {@code userCount} all). */
    public record ChannelDetail(String app, String name, boolean occupied, int subscriptionCount, Integer userCount,
                                List<Member> members) {
    }

    /**
     * One line of a channel's live log: a frame its subscribers got ({@code kind} {@code event}) or a webhook queued for
     * it. {@code hidden}: the payload of an app event on a private or presence channel, withheld ({@code data} null)
     * unless the operator asked to see payloads.
     */
    public record LogEntry(long at, String kind, String event, String data, String userId, boolean hidden) {
    }

    /** An operator's session as stored: who logged in from where, when, and until when it lasts. */
    public record OperatorSession(String id, long createdAt, long expiresAt, String address, String userAgent) {
    }

    /** A live operator session as listed; {@code current} is the session of the request that lists them. */
    public record SessionView(String id, long createdAt, long expiresAt, String address, String userAgent, boolean current) {
    }

    /** A test event sent from the console. */
    public record TestEvent(@NotBlank @Size(max = 200) String event, @Size(max = 10240) String data) {
    }

    /**
     * One app's usage (see AppUsage): connections on every gateway, presence members (summed over its presence channels),
     * events published and delivered per second, and refusals per limit over the last {@code refusalWindowSeconds};
     * null where no service reports the meter.
     */
    public record AppUsageView(String app, long at, Integer connections, int presenceMembers, Double eventsPerSecond,
                               Double messagesPerSecond, Map<String, Long> refusals, long refusalWindowSeconds) {
    }

    /** The channel's sequence number of a sent test event. */
    public record Sent(long seq) {
    }
}
