package io.presence.gateway.ws;

import io.presence.gateway.protocol.CloseCode;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.websockets.next.CloseReason;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * On shutdown, records what every resumable socket's client acknowledged ({@link Resumption#drain}), then closes every
 * socket with 4200 so clients reconnect (to another instance) at once and resume there, and refuses new ones the same
 * way while the HTTP server still runs (the shutdown delay), so they do not land on this instance.
 */
@ApplicationScoped
public class Shutdown {

    private static final Logger LOG = Logger.getLogger(Shutdown.class);

    private final Connections connections;
    private final Resumption resumption;
    private volatile boolean draining;
    private boolean done;

    public Shutdown(Connections connections, Resumption resumption) {
        this.connections = connections;
        this.resumption = resumption;
    }

    /** First thing on shutdown, while the HTTP server still runs (quarkus.shutdown.delay-enabled). */
    void drain(@Observes ShutdownDelayInitiatedEvent event) {
        closeAll();
    }

    /** Fallback when shutdown skips the delay phase. */
    void stop(@Observes ShutdownEvent event) {
        closeAll();
    }

    /** True once shutdown began: new sockets are refused. */
    boolean draining() {
        return draining;
    }

    private synchronized void closeAll() {
        draining = true;
        if (done) {
            return;
        }
        done = true;
        try {
            resumption.drain(connections.all()).await().atMost(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.warnf("recording the positions of resumable sockets on shutdown: %s", e.toString());
        }
        CloseReason goingAway = new CloseReason(CloseCode.GOING_AWAY.code(), "server shutting down, reconnect");
        for (ClientConnection c : connections.all()) {
            if (c.socket().isClosed()) {
                continue;
            }
            try {
                c.close(goingAway).await().atMost(Duration.ofSeconds(2));
            } catch (RuntimeException e) {
                LOG.debugf("closing %s on shutdown: %s", c.socketId(), e.toString());
            }
        }
    }
}
