package io.presence.gateway.ws;

import io.presence.gateway.config.GatewayConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Which new sockets this gateway keeps, before it looks at their app or anyone signs in: at most
 * {@code max-connections} sockets on the node, {@code max-connections-per-address} per client address and
 * {@code handshake-limit} handshakes per address and {@code handshake-per}; over any of them the socket is closed with
 * 4100 (over capacity: Pusher clients back off, then retry). An IPv6 client is counted by its /64. Counted in this
 * gateway's memory, per node: behind a load balancer an address may hold that many on each gateway.
 */
@ApplicationScoped
public class Admission {

    private final GatewayConfig.Websocket limits;
    private final ConnectionMetrics metrics;
    private final Vertx vertx;
    private final AtomicInteger open = new AtomicInteger();
    /** The address each admitted socket is counted under, by connection id. */
    private final Map<String, String> addressOf = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private final Map<String, LocalBudget> handshakes = new ConcurrentHashMap<>();
    private long sweeper = -1;

    public Admission(GatewayConfig config, ConnectionMetrics metrics, Vertx vertx) {
        this.limits = config.websocket();
        this.metrics = metrics;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) {
        // an address's handshake budget that is whole again is forgotten: the map holds only recent addresses
        sweeper = vertx.setPeriodic(Math.max(1_000, limits.handshakePer().toMillis()), id -> {
            long now = System.nanoTime();
            handshakes.keySet().forEach(address -> handshakes.computeIfPresent(address, (a, budget) -> budget.whole(now) ? null : budget));
        });
    }

    void stop(@Observes ShutdownEvent event) {
        if (sweeper >= 0) {
            vertx.cancelTimer(sweeper);
        }
    }

    /**
     * Counts a new socket of a client ({@code host:port}, as websockets-next gives it); null when it may stay (then
     * {@link #release} gives its place back), else why it is refused.
     */
    String admit(String connectionId, String remoteAddress) {
        String address = subject(remoteAddress);
        boolean handshake = handshakes.computeIfAbsent(address, a -> new LocalBudget())
                .take(limits.handshakeLimit(), limits.handshakePer(), System.nanoTime());
        if (!handshake) {
            metrics.refused("handshakeLimit");
            return "over capacity: more than " + limits.handshakeLimit() + " connections from your address within "
                    + limits.handshakePer().toSeconds() + " s, retry later";
        }
        int fromAddress = perAddress.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
        int onNode = open.incrementAndGet();
        addressOf.put(connectionId, address);
        if (fromAddress > limits.maxConnectionsPerAddress()) {
            release(connectionId);
            metrics.refused("maxConnectionsPerAddress");
            return "over capacity: your address has " + limits.maxConnectionsPerAddress() + " connections to this server";
        }
        if (onNode > limits.maxConnections()) {
            release(connectionId);
            metrics.refused("maxConnections");
            return "over capacity: this server has " + limits.maxConnections() + " connections, retry later";
        }
        return null;
    }

    /** Gives back the place of a socket that closed (nothing for one that was not admitted). */
    void release(String connectionId) {
        String address = addressOf.remove(connectionId);
        if (address == null) {
            return;
        }
        open.decrementAndGet();
        perAddress.computeIfPresent(address, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
    }

    /** Sockets admitted and not yet closed on this gateway. */
    int open() {
        return open.get();
    }

    /** What a client is counted as: its IPv4 address, or the /64 of its IPv6 address (one subscriber's network). */
    static String subject(String remoteAddress) {
        if (remoteAddress == null) {
            return "unknown";
        }
        int port = remoteAddress.lastIndexOf(':'); // "host:port", the host's IPv6 form without brackets
        String host = port > 0 ? remoteAddress.substring(0, port) : remoteAddress;
        if (host.indexOf(':') < 0) {
            return host;
        }
        try {
            // a literal (it has a colon): parsed, never looked up
            byte[] bytes = InetAddress.getByName(host).getAddress();
            return bytes.length == 16 ? HexFormat.of().formatHex(bytes, 0, 8) + "::/64" : InetAddress.getByAddress(bytes).getHostAddress();
        } catch (UnknownHostException e) {
            return host;
        }
    }
}
