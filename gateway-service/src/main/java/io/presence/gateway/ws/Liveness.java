package io.presence.gateway.ws;

import io.presence.common.app.AppMeters;
import io.presence.common.app.AppsConfig;
import io.presence.gateway.config.GatewayConfig;
import io.presence.gateway.protocol.CloseCode;
import io.presence.gateway.protocol.Frames;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.websockets.next.CloseReason;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Pings a socket that has been silent for the activity timeout, and closes it with 4201 when the pong does not come;
 * closes with 4009 a socket of an app with enableUserAuthentication that did not sign in within the timeout, and with
 * 4202 (inactive) one that neither subscribed nor signed in within the first-subscription timeout.
 */
@ApplicationScoped
public class Liveness {

    private final Connections connections;
    private final Frames frames;
    private final GatewayConfig.Websocket limits;
    private final Vertx vertx;
    private final long signInTimeoutNanos;
    private final AppMeters meters;
    private final ConnectionMetrics metrics;
    private long timer = -1;

    public Liveness(Connections connections, Frames frames, GatewayConfig config, Vertx vertx, AppsConfig apps, AppMeters meters,
                    ConnectionMetrics metrics) {
        this.connections = connections;
        this.frames = frames;
        this.limits = config.websocket();
        this.vertx = vertx;
        this.signInTimeoutNanos = apps.userAuthenticationTimeout().toNanos();
        this.meters = meters;
        this.metrics = metrics;
    }

    void start(@Observes StartupEvent event) {
        long shortest = Math.min(Math.min(limits.pongTimeout().toMillis(), signInTimeoutNanos / 1_000_000),
                limits.firstSubscriptionTimeout().toMillis());
        long period = Math.max(100, Math.min(5_000, shortest / 3));
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
        long firstSubscription = limits.firstSubscriptionTimeout().toNanos();
        for (ClientConnection c : connections.all()) {
            if (c.closing()) {
                continue;
            }
            long idle = c.activity().idleNanos(now);
            if (c.signedInUserId() == null && c.app().limits().enableUserAuthentication() && c.activity().ageNanos(now) >= signInTimeoutNanos) {
                meters.refused(c.app().id(), "enableUserAuthentication");
                c.close(new CloseReason(CloseCode.UNAUTHORIZED.code(), "connection not signed in within the timeout"))
                        .subscribe().with(ok -> { }, err -> { });
            } else if (!c.joined() && c.activity().ageNanos(now) >= firstSubscription) {
                metrics.refused("firstSubscriptionTimeout");
                c.close(new CloseReason(CloseCode.INACTIVE.code(), "no subscription or sign-in within "
                        + limits.firstSubscriptionTimeout().toSeconds() + " s")).subscribe().with(ok -> { }, err -> { });
            } else if (idle >= pongLimit && c.activity().pinged()) {
                c.close(new CloseReason(CloseCode.PONG_TIMEOUT.code(), "pong not received"))
                        .subscribe().with(ok -> { }, err -> { });
            } else if (idle >= idleLimit && !c.activity().pinged()) {
                c.activity().markPinged();
                if (c.receipts() != null) {
                    c.requestReceipt(); // the same ping, its pong a receipt too
                } else {
                    c.send(frames.eventWithRawData("pusher:ping", null, "{}"));
                }
            }
        }
    }
}
