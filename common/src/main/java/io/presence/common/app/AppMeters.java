package io.presence.common.app;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The meters of each app: what it was refused, per limit ({@code apps.refusals{app, limit}}, the limit named as in
 * AppLimits), and the events it sent ({@code apps.events{app, source}}, source {@code backend} or {@code client}).
 * The console shows them per app, and an operator sees which limit a tenant keeps hitting. Apps are few, so the
 * {@code app} tag stays bounded.
 */
@ApplicationScoped
public class AppMeters {

    private final MeterRegistry metrics;

    public AppMeters(MeterRegistry metrics) {
        this.metrics = metrics;
    }

    /** One refusal of the app by the limit (e.g. {@code maxConnections}). */
    public void refused(String appId, String limit) {
        Counter.builder("apps.refusals").description("Requests, connections and events refused by a limit of their app")
                .tag("app", appId).tag("limit", limit).register(metrics).increment();
    }

    /** Events the app sent into channels: {@code backend} (HTTP API, one per channel) or {@code client} (client events). */
    public void events(String appId, String source, int n) {
        Counter.builder("apps.events").description("Events an app sent into channels, per channel")
                .tag("app", appId).tag("source", source).register(metrics).increment(n);
    }
}
