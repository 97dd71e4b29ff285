package io.presence.common.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.presence.common.pusher.Webhooks;
import java.util.Set;

/**
 * One receiver of an app's webhooks, as soketi writes it: a URL and the webhook names it wants (empty: all of them).
 */
public record AppWebhook(String url, @JsonProperty("event_types") Set<String> eventTypes) {

    public AppWebhook {
        eventTypes = eventTypes == null ? Set.of() : Set.copyOf(eventTypes);
        for (String e : eventTypes) {
            if (!Webhooks.KINDS.contains(e)) {
                throw new IllegalArgumentException("unknown webhook '" + e + "'; known: " + Webhooks.KINDS);
            }
        }
    }

    /** True when this receiver wants webhooks of this name. */
    public boolean wants(String kind) {
        return eventTypes.isEmpty() || eventTypes.contains(kind);
    }
}
