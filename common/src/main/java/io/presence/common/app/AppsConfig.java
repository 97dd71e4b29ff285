package io.presence.common.app;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * How every service keeps its copy of the app store (APPS_* variables), and the deployment's default limits: what an
 * app gets for a limit it does not set. {@code -1} means no limit.
 */
@ConfigMapping(prefix = "apps")
public interface AppsConfig {

    /**
     * How often every service compares the app store's version in Redis with its copy (one HGET; the whole list is
     * read only when it differs): what brings a change to services that do not follow the control channel, within a
     * second, and the safety net of those that do.
     */
    @WithDefault("500ms")
    Duration reloadInterval();

    /** How often user-service checks that Redis holds the store's latest snapshot (and writes it again when not). */
    @WithDefault("5s")
    Duration republishInterval();

    /** How long a rotated secret stays valid beside the new one, so backends can be redeployed without refused calls. */
    @WithDefault("1h")
    Duration secretGracePeriod();

    /** How long a connection of an app with enableUserAuthentication may stay without signing in before 4009. */
    @WithDefault("30s")
    Duration userAuthenticationTimeout();

    /** The limits an app gets when it does not set them. */
    Defaults defaults();

    /** Deployment defaults of the per-app limits (soketi's names, kebab-case: APPS_DEFAULTS_MAX_CONNECTIONS). */
    interface Defaults {

        /** Connections of one app on all gateways together. */
        @WithDefault("-1")
        int maxConnections();

        /** Whether clients may send client- events. */
        @WithDefault("true")
        boolean enableClientMessages();

        /** Events an app's backend may trigger per second, cluster-wide. */
        @WithDefault("-1")
        int maxBackendEventsPerSecond();

        /** Client events one connection may send per second (Pusher: 10). */
        @WithDefault("10")
        int maxClientEventsPerSecond();

        /** HTTP API reads an app may make per second, cluster-wide. */
        @WithDefault("-1")
        int maxReadRequestsPerSecond();

        /** Distinct users in one presence channel (Pusher: 100). */
        @WithDefault("10000")
        int maxPresenceMembersPerChannel();

        /** Size of one member's user_info in KB (Pusher: 1). */
        @WithDefault("1")
        double maxPresenceMemberSizeInKb();

        /** Longest channel name (Pusher: 164 characters). */
        @WithDefault("164")
        int maxChannelNameLength();

        /** Most channels one trigger may name (Pusher: 100). */
        @WithDefault("100")
        int maxEventChannelsAtOnce();

        /** Longest event name (Pusher: 200 characters). */
        @WithDefault("200")
        int maxEventNameLength();

        /** Largest event data in KB (Pusher: 10). */
        @WithDefault("10")
        double maxEventPayloadInKb();

        /** Most events in one batch trigger (Pusher: 10). */
        @WithDefault("10")
        int maxEventBatchSize();

        /** Whether connections must sign in within the user authentication timeout. */
        @WithDefault("false")
        boolean enableUserAuthentication();

        /** How long a closed resumable connection may come back and resume its channels (0: no resume). */
        @WithDefault("120")
        int resumeWindowSeconds();

        /** Most events one channel keeps for resumes and gap repair. */
        @WithDefault("5000")
        int maxStoredEventsPerChannel();

        /** These defaults as limits. */
        default AppLimits limits() {
            return new AppLimits(maxConnections(), enableClientMessages(), maxBackendEventsPerSecond(), maxClientEventsPerSecond(),
                    maxReadRequestsPerSecond(), maxPresenceMembersPerChannel(), maxPresenceMemberSizeInKb(), maxChannelNameLength(),
                    maxEventChannelsAtOnce(), maxEventNameLength(), maxEventPayloadInKb(), maxEventBatchSize(),
                    enableUserAuthentication(), resumeWindowSeconds(), maxStoredEventsPerChannel());
        }
    }
}
