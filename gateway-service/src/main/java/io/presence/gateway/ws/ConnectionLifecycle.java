package io.presence.gateway.ws;

import io.presence.common.presence.BusMessage;
import io.presence.common.presence.BusMessage.Audience;
import io.presence.common.pusher.PusherConfig;
import io.presence.gateway.config.GatewayConfig;
import io.presence.gateway.presence.Member;
import io.presence.gateway.presence.NodeLease;
import io.presence.gateway.presence.Occupancy;
import io.presence.gateway.presence.PresenceManager;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.websockets.next.CloseReason;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Keeps connections honest over time: pings a socket that has been silent for the activity timeout, closes it
 * with 4201 when the pong does not come, and on shutdown closes every socket with 4200 so clients reconnect
 * (to another instance) at once.
 */
@ApplicationScoped
public class ConnectionLifecycle {

    private static final Logger LOG = Logger.getLogger(ConnectionLifecycle.class);

    private final Hub hub;
    private final Broker broker;
    private final PresenceManager presence;
    private final NodeLease lease;
    private final Occupancy occupancy;
    private final Frames frames;
    private final GatewayConfig.Websocket limits;
    private final PusherConfig pusher;
    private final Vertx vertx;
    private final Blocks blocks;
    private long timer = -1;

    public ConnectionLifecycle(Hub hub, Broker broker, PresenceManager presence, NodeLease lease, Occupancy occupancy,
                               Frames frames, GatewayConfig config, PusherConfig pusher, Vertx vertx, Blocks blocks) {
        this.blocks = blocks;
        this.occupancy = occupancy;
        this.hub = hub;
        this.broker = broker;
        this.presence = presence;
        this.lease = lease;
        this.frames = frames;
        this.limits = config.websocket();
        this.pusher = pusher;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) {
        if (pusher.usesDevelopmentSecret()) {
            LOG.warnf("running with the development app secret '%s': anyone can sign subscriptions; set PUSHER_SECRET",
                    PusherConfig.DEVELOPMENT_SECRET);
        }
        lease.onReRegistration(this::rejoinAll);
        broker.onControl(this::control);
        long period = Math.max(100, Math.min(5_000, limits.pongTimeout().toMillis() / 3));
        timer = vertx.setPeriodic(period, id -> checkLiveness());
    }

    void checkLiveness() {
        long now = System.nanoTime();
        long idleLimit = limits.activityTimeout().toNanos();
        long pongLimit = idleLimit + limits.pongTimeout().toNanos();
        for (ClientConnection c : hub.all()) {
            long idle = c.idleNanos(now);
            if (idle >= pongLimit && c.pinged()) {
                c.socket().close(new CloseReason(CloseCode.PONG_TIMEOUT.code(), "pong not received"))
                        .subscribe().with(ok -> { }, err -> { });
            } else if (idle >= idleLimit && !c.pinged()) {
                c.markPinged();
                c.send(frames.eventWithRawData("pusher:ping", null, "{}"));
            }
        }
    }

    /**
     * Commands every gateway receives: {@code terminate NUL app NUL user} closes that user's signed-in connections;
     * {@code blocks NUL user} reloads who blocked that user ({@link Blocks}).
     */
    void control(String command) {
        String[] parts = command.split("\u0000", 3);
        if (parts.length == 2 && parts[0].equals("blocks")) {
            blocks.refresh(parts[1]);
        } else if (parts.length == 3 && parts[0].equals("terminate")) {
            CloseReason terminated = new CloseReason(CloseCode.UNAUTHORIZED.code(), "connections terminated by the server");
            for (ClientConnection c : hub.signedIn(parts[1], parts[2])) {
                c.socket().close(terminated).subscribe().with(ok -> { }, err -> { });
            }
        }
    }

    /** Joins every presence connection of this node again, announcing users who were gone from the shared state. */
    Uni<Void> rejoinAll() {
        List<Uni<Void>> joins = new ArrayList<>();
        for (ClientConnection c : hub.all()) {
            for (String channel : c.channels()) {
                Member member = c.presenceMember(channel);
                if (member == null) {
                    continue;
                }
                String appId = c.app().id();
                joins.add(presence.join(appId, channel, c.connectionId(), member, Integer.MAX_VALUE)
                        .chain(join -> join.firstConnectionOfUser() && !join.member().invisible()
                                ? broker.publish(appId, channel, BusMessage.about(member.userId(), Audience.ALL,
                                        frames.memberAdded(channel, join.member()), null))
                                : Uni.createFrom().voidItem())
                        .onFailure().invoke(err -> LOG.warnf("re-joining %s failed: %s", channel, err.toString()))
                        .onFailure().recoverWithNull());
            }
        }
        LOG.infof("re-joining %d presence connections", joins.size());
        joins.add(occupancy.replace(hub.localCounts()));
        return Uni.join().all(joins).andFailFast().replaceWithVoid();
    }

    /** First thing on shutdown, while the HTTP server still runs (quarkus.shutdown.delay-enabled). */
    void drain(@Observes ShutdownDelayInitiatedEvent event) {
        closeAll();
    }

    /** Fallback when shutdown skips the delay phase. */
    void stop(@Observes ShutdownEvent event) {
        closeAll();
    }

    private synchronized void closeAll() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
        CloseReason goingAway = new CloseReason(CloseCode.GOING_AWAY.code(), "server shutting down, reconnect");
        for (ClientConnection c : hub.all()) {
            if (c.socket().isClosed()) {
                continue;
            }
            try {
                c.socket().close(goingAway).await().atMost(Duration.ofSeconds(2));
            } catch (RuntimeException e) {
                LOG.debugf("closing %s on shutdown: %s", c.socketId(), e.toString());
            }
        }
    }

}
