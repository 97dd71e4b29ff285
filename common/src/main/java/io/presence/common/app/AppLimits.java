package io.presence.common.app;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The limits and switches of one app, named as soketi names them in its JSON app config so that a soketi app can be
 * pasted. A null field means the deployment default ({@link AppsConfig.Defaults}); {@code -1} means no limit.
 *
 * @param maxConnections               connections of the app on every gateway together (over it: close 4004)
 * @param enableClientMessages         whether clients may send {@code client-} events
 * @param maxBackendEventsPerSecond    events the app's backend may trigger per second, cluster-wide (over it: 429)
 * @param maxClientEventsPerSecond     client events one connection may send per second (over it: pusher:error 4301)
 * @param maxReadRequestsPerSecond     HTTP API reads per second, cluster-wide (over it: 429)
 * @param maxPresenceMembersPerChannel distinct users in one presence channel (over it: subscription_error 4100)
 * @param maxPresenceMemberSizeInKb    size of one member's user_info, in KB of JSON
 * @param maxChannelNameLength         longest channel name, in characters
 * @param maxEventChannelsAtOnce       most channels one trigger may name
 * @param maxEventNameLength           longest event name, in characters
 * @param maxEventPayloadInKb          largest event data, in KB (HTTP API: 413; client event: 4301)
 * @param maxEventBatchSize            most events in one batch trigger
 * @param enableUserAuthentication     whether a connection must sign in (pusher:signin) within the sign-in timeout
 * @param resumeWindowSeconds          how long a closed resumable connection's positions are kept and its channels' events
 *                                     stored, so a reconnect within it resumes without a gap ({@code 0}: no resume)
 * @param maxStoredEventsPerChannel    most events one channel keeps for resumes and gap repair (older ones are trimmed)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AppLimits(Integer maxConnections, Boolean enableClientMessages, Integer maxBackendEventsPerSecond,
                        Integer maxClientEventsPerSecond, Integer maxReadRequestsPerSecond, Integer maxPresenceMembersPerChannel,
                        Double maxPresenceMemberSizeInKb, Integer maxChannelNameLength, Integer maxEventChannelsAtOnce,
                        Integer maxEventNameLength, Double maxEventPayloadInKb, Integer maxEventBatchSize,
                        Boolean enableUserAuthentication, Integer resumeWindowSeconds, Integer maxStoredEventsPerChannel) {

    /** No limit set: every one is the deployment default. */
    public static final AppLimits DEFAULTS = new AppLimits(null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null);

    /** These limits with every unset one taken from {@code defaults}. */
    public AppLimits over(AppLimits defaults) {
        return new AppLimits(
                or(maxConnections, defaults.maxConnections), or(enableClientMessages, defaults.enableClientMessages),
                or(maxBackendEventsPerSecond, defaults.maxBackendEventsPerSecond),
                or(maxClientEventsPerSecond, defaults.maxClientEventsPerSecond),
                or(maxReadRequestsPerSecond, defaults.maxReadRequestsPerSecond),
                or(maxPresenceMembersPerChannel, defaults.maxPresenceMembersPerChannel),
                or(maxPresenceMemberSizeInKb, defaults.maxPresenceMemberSizeInKb), or(maxChannelNameLength, defaults.maxChannelNameLength),
                or(maxEventChannelsAtOnce, defaults.maxEventChannelsAtOnce), or(maxEventNameLength, defaults.maxEventNameLength),
                or(maxEventPayloadInKb, defaults.maxEventPayloadInKb), or(maxEventBatchSize, defaults.maxEventBatchSize),
                or(enableUserAuthentication, defaults.enableUserAuthentication), or(resumeWindowSeconds, defaults.resumeWindowSeconds),
                or(maxStoredEventsPerChannel, defaults.maxStoredEventsPerChannel));
    }

    /** True when {@code count} is within {@code limit} (-1 or null: no limit). */
    public static boolean within(long count, Integer limit) {
        return limit == null || limit < 0 || count <= limit;
    }

    /** True when {@code bytes} is within a limit in KB (-1 or null: no limit); 1 KB is 1,024 bytes. */
    public static boolean withinKb(long bytes, Double limitKb) {
        return limitKb == null || limitKb < 0 || bytes <= bytesOf(limitKb);
    }

    /** A limit in KB as bytes (1 KB = 1,024 bytes), or -1 for none. */
    public static long bytesOf(Double limitKb) {
        return limitKb == null || limitKb < 0 ? -1 : (long) Math.floor(limitKb * 1024);
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
