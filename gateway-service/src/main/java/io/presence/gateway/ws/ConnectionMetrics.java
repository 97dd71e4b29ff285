package io.presence.gateway.ws;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.presence.common.app.AppRegistry;
import io.presence.gateway.hub.Hub;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Gauges of what this gateway holds: connections (in all and per app), the channels it follows, subscriptions and
 * presence memberships; and what its own socket limits refused ({@code websocket.refusals{limit}}).
 */
@ApplicationScoped
@Startup // its gauges exist from the start, not from the first subscription (a client proxy creates beans when first used)
public class ConnectionMetrics {

    private final AtomicInteger subscriptions = new AtomicInteger();
    private final AtomicInteger members = new AtomicInteger();
    private final MeterRegistry metrics;

    public ConnectionMetrics(MeterRegistry metrics, Connections connections, Hub hub, AppRegistry apps) {
        this.metrics = metrics;
        Gauge.builder("presence.connections", connections, c -> c.all().size())
                .description("Client connections open on this gateway").register(metrics);
        // one gauge per app (apps are few), registered as apps appear; a deleted app's stays at 0
        Consumer<String> perApp = appId -> Gauge.builder("apps.connections", connections, c -> c.count(appId)).tag("app", appId)
                .description("Client connections of the app open on this gateway").register(metrics);
        apps.all().forEach(app -> perApp.accept(app.id()));
        apps.onChange((before, after) -> {
            if (before == null) {
                perApp.accept(after.id());
            }
        });
        Gauge.builder("presence.channels", hub, Hub::size)
                .description("Channels this gateway follows (with local subscribers, or left moments ago)").register(metrics);
        Gauge.builder("presence.subscriptions", subscriptions, AtomicInteger::get)
                .description("Channel subscriptions of this gateway's connections").register(metrics);
        Gauge.builder("presence.members", members, AtomicInteger::get)
                .description("Presence channel memberships of this gateway's connections").register(metrics);
    }

    void subscribed(boolean presence) {
        subscriptions.incrementAndGet();
        if (presence) {
            members.incrementAndGet();
        }
    }

    void unsubscribed(boolean presence) {
        subscriptions.decrementAndGet();
        if (presence) {
            members.decrementAndGet();
        }
    }

    /** A resumable socket opened while its client's previous socket still looked open: that one was recorded and closed. */
    void resumeTakeover() {
        Counter.builder("resume.takeovers").description("Resumable sockets that took over from a previous socket of their client still open")
                .register(metrics).increment();
    }

    /** One socket or frame refused by a limit of this gateway, named as its GatewayConfig.Websocket setting (maxFrameSize: Quarkus's). */
    void refused(String limit) {
        Counter.builder("websocket.refusals").description("Sockets and frames refused by a limit of the gateway (not of their app)")
                .tag("limit", limit).register(metrics).increment();
    }
}
