package io.presence.gateway.ws;

import io.presence.gateway.config.GatewayConfig;
import io.presence.gateway.protocol.CloseCode;
import io.presence.gateway.protocol.Frames;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.websockets.next.CloseReason;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Pings a socket that has been silent for the activity timeout, and closes it with 4201 when the pong does not come. */
@ApplicationScoped
public class Liveness {

    private final Connections connections;
    private final Frames frames;
    private final GatewayConfig.Websocket limits;
    private final Vertx vertx;
    private long timer = -1;

    public Liveness(Connections connections, Frames frames, GatewayConfig config, Vertx vertx) {
        this.connections = connections;
        this.frames = frames;
        this.limits = config.websocket();
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) {
        long period = Math.max(100, Math.min(5_000, limits.pongTimeout().toMillis() / 3));
        timer = vertx.setPeriodic(period, id -> check());
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    void check() {
        long now = System.nanoTime();
        long idleLimit = limits.activityTimeout().toNanos();
        long pongLimit = idleLimit + limits.pongTimeout().toNanos();
        for (ClientConnection c : connections.all()) {
            long idle = c.idleNanos(now);
            if (idle >= pongLimit && c.pinged()) {
                c.close(new CloseReason(CloseCode.PONG_TIMEOUT.code(), "pong not received"))
                        .subscribe().with(ok -> { }, err -> { });
            } else if (idle >= idleLimit && !c.pinged()) {
                c.markPinged();
                c.send(frames.eventWithRawData("pusher:ping", null, "{}"));
            }
        }
    }
}
