package io.presence.gateway.ws;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.presence.gateway.hub.Hub;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicInteger;

/** Gauges of what this gateway holds: connections, the channels it follows, subscriptions and presence memberships. */
@ApplicationScoped
public class ConnectionMetrics {

    private final AtomicInteger subscriptions = new AtomicInteger();
    private final AtomicInteger members = new AtomicInteger();

    public ConnectionMetrics(MeterRegistry metrics, Connections connections, Hub hub) {
        Gauge.builder("presence.connections", connections, c -> c.all().size())
                .description("Client connections open on this gateway").register(metrics);
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
}
