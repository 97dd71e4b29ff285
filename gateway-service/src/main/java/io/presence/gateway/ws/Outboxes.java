package io.presence.gateway.ws;

import io.netty.util.concurrent.EventExecutor;
import io.presence.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The outbox of each event loop: where frames for its sockets are queued; a socket is cut once max-pending-bytes wait for it. */
@ApplicationScoped
public class Outboxes {

    private final Map<EventExecutor, Outbox> byLoop = new ConcurrentHashMap<>();
    private final int maxPendingBytes;
    private final ConnectionMetrics metrics;

    public Outboxes(GatewayConfig config, ConnectionMetrics metrics) {
        this.maxPendingBytes = config.websocket().maxPendingBytes();
        this.metrics = metrics;
    }

    /** The outbox of an event loop: where frames for its sockets are queued. */
    Outbox of(EventExecutor loop) {
        return byLoop.computeIfAbsent(loop, l -> new Outbox(l, maxPendingBytes, () -> metrics.refused("maxPendingBytes")));
    }
}
