package io.presence.user.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.presence.common.app.App;
import io.presence.common.app.AppLimits;
import io.presence.common.app.AppWebhook;
import java.util.List;

/**
 * An app as the app API answers it: soketi's flat app config (null limit: the deployment default), never the previous
 * secret; {@code secret} only in the answers to create and rotate, {@code encryptionMasterKey} not in lists.
 */
public record AppView(String id, String key, @JsonInclude(JsonInclude.Include.NON_NULL) String secret, Long previousSecretUntil,
                      boolean enabled, Integer maxConnections, Boolean enableClientMessages, Integer maxBackendEventsPerSecond,
                      Integer maxClientEventsPerSecond, Integer maxReadRequestsPerSecond, Integer maxPresenceMembersPerChannel,
                      Double maxPresenceMemberSizeInKb, Integer maxChannelNameLength, Integer maxEventChannelsAtOnce,
                      Integer maxEventNameLength, Double maxEventPayloadInKb, Integer maxEventBatchSize,
                      Boolean enableUserAuthentication, List<AppWebhook> webhooks,
                      @JsonInclude(JsonInclude.Include.NON_NULL) String encryptionMasterKey, String presenceVisibility,
                      Integer resumeWindowSeconds, Integer maxStoredEventsPerChannel) {

    /** What is shown of an app. */
    public enum Shown { LISTED, ONE, WITH_SECRET }

    public static AppView of(App app, Shown shown) {
        AppLimits l = app.limits();
        Long until = app.previousSecretUntil() != null && app.previousSecretUntil() > System.currentTimeMillis() ? app.previousSecretUntil() : null;
        return new AppView(app.id(), app.key(), shown == Shown.WITH_SECRET ? app.secret() : null, until, app.enabled(),
                l.maxConnections(), l.enableClientMessages(), l.maxBackendEventsPerSecond(), l.maxClientEventsPerSecond(),
                l.maxReadRequestsPerSecond(), l.maxPresenceMembersPerChannel(), l.maxPresenceMemberSizeInKb(), l.maxChannelNameLength(),
                l.maxEventChannelsAtOnce(), l.maxEventNameLength(), l.maxEventPayloadInKb(), l.maxEventBatchSize(),
                l.enableUserAuthentication(), app.webhooks(), shown == Shown.LISTED ? null : app.encryptionMasterKey(),
                app.presenceVisibility(), l.resumeWindowSeconds(), l.maxStoredEventsPerChannel());
    }
}
