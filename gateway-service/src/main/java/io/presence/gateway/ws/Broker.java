package io.presence.gateway.ws;

import io.presence.common.presence.BusMessage;
import io.presence.common.presence.PresenceSchema;
import io.presence.common.presence.PresenceStoreConfig;
import io.presence.gateway.presence.NodeIdentity;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Carries frames between gateway instances over Redis pub/sub: every frame for a channel is published once and
 * each gateway that has local subscribers of that channel (and only those) receives it and hands it to its
 * {@link Hub}. One dedicated subscriber connection per gateway, re-established (with its subscriptions) if lost.
 */
@ApplicationScoped
public class Broker {

    private static final Logger LOG = Logger.getLogger(Broker.class);

    private final Redis client;
    private final ReactiveRedisDataSource redis;
    private final PresenceSchema schema;
    private final Hub hub;
    private final Vertx vertx;
    /** bus channel -> (app, channel) for the channels this gateway listens to. */
    private final Map<String, String[]> listening = new ConcurrentHashMap<>();
    /** bus channel -> the (shared) wait for Redis to confirm its subscription. */
    private final Map<String, Uni<Void>> confirmed = new ConcurrentHashMap<>();
    private volatile Consumer<String> controlHandler = command -> { };
    private volatile Runnable resubscribed = () -> { };
    private final NodeIdentity node;
    private volatile RedisConnection subscriber;
    private volatile Uni<RedisConnection> connecting;
    private volatile boolean stopped;

    public Broker(Redis client, ReactiveRedisDataSource redis, PresenceStoreConfig config, Hub hub, Vertx vertx, NodeIdentity node) {
        this.client = client;
        this.node = node;
        this.redis = redis;
        this.schema = config.schema();
        this.hub = hub;
        this.vertx = vertx;
    }

    /** Sends a frame to the channel's subscribers on every gateway, except one socket (may be null). */
    public Uni<Void> publish(String appId, String channel, String frame, String exceptSocketId) {
        return publish(appId, channel, BusMessage.toAll(frame, exceptSocketId));
    }

    /** Sends a bus message to the channel's subscribers on every gateway. */
    public Uni<Void> publish(String appId, String channel, BusMessage message) {
        return redis.execute("PUBLISH", schema.busChannel(appId, channel), message.encode()).replaceWithVoid();
    }

    /**
     * Runs after the pub/sub connection was lost and every channel is subscribed again: frames published in
     * between never arrived, so listeners must catch up from the store.
     */
    public void onResubscribed(Runnable handler) {
        this.resubscribed = handler;
    }

    /** Receives the commands sent to every gateway (see {@link #control(String)}); subscribed at once. */
    public void onControl(Consumer<String> handler) {
        this.controlHandler = handler;
        listening.put(schema.control(), new String[0]);
        connection().chain(c -> c.send(Request.cmd(Command.SUBSCRIBE).arg(schema.control())))
                .subscribe().with(ok -> { }, err -> LOG.warnf("control channel not subscribed yet: %s", err.toString()));
    }

    /** Sends a command to every gateway. */
    public Uni<Void> control(String command) {
        return redis.execute("PUBLISH", schema.control(), command).replaceWithVoid();
    }

    /**
     * Starts receiving a channel's frames; completes once Redis confirmed the subscription. Every caller waits for
     * that confirmation, not just the first, so no local subscriber believes it listens before it does.
     */
    public Uni<Void> listen(String appId, String channel) {
        String bus = schema.busChannel(appId, channel);
        listening.putIfAbsent(bus, new String[] {appId, channel});
        return confirmed.computeIfAbsent(bus, b -> connection()
                .chain(c -> c.send(Request.cmd(Command.SUBSCRIBE).arg(b)))
                .replaceWithVoid()
                .onFailure().invoke(err -> confirmed.remove(b))
                .memoize().indefinitely());
    }

    /** Stops receiving a channel's frames (no local subscriber is left). */
    public Uni<Void> stopListening(String appId, String channel) {
        String bus = schema.busChannel(appId, channel);
        confirmed.remove(bus);
        if (listening.remove(bus) == null) {
            return Uni.createFrom().voidItem();
        }
        RedisConnection c = subscriber;
        return c == null ? Uni.createFrom().voidItem() : c.send(Request.cmd(Command.UNSUBSCRIBE).arg(bus)).replaceWithVoid();
    }

    private synchronized Uni<RedisConnection> connection() {
        if (subscriber != null) {
            return Uni.createFrom().item(subscriber);
        }
        if (connecting == null) {
            connecting = client.connect()
                    .invoke(c -> {
                        c.handler(this::onMessage);
                        c.exceptionHandler(e -> reconnect(c, e));
                        c.endHandler(() -> reconnect(c, null));
                        subscriber = c;
                    })
                    // named so operators (and tests) can find this gateway's bus connection in CLIENT LIST
                    .call(c -> c.send(Request.cmd(Command.CLIENT).arg("SETNAME").arg(clientName())).onFailure().recoverWithNull())
                    .eventually(() -> {
                        synchronized (this) {
                            connecting = null;
                        }
                    })
                    .memoize().indefinitely();
        }
        return connecting;
    }

    private void onMessage(Response message) {
        // a pub/sub push: ["message", bus channel, payload]
        if (message == null || message.size() < 3 || !"message".equals(message.get(0).toString())) {
            return;
        }
        String[] target = listening.get(message.get(1).toString());
        if (target == null) {
            return;
        }
        String payload = message.get(2).toString();
        if (target.length == 0) {
            controlHandler.accept(payload);
            return;
        }
        BusMessage decoded = BusMessage.decode(payload);
        if (decoded != null) {
            hub.publish(target[0], target[1], decoded);
        }
    }

    private void reconnect(RedisConnection broken, Throwable cause) {
        synchronized (this) {
            if (subscriber != broken) {
                return;
            }
            subscriber = null;
        }
        if (stopped) {
            return;
        }
        LOG.warnf("Redis pub/sub connection lost (%s); resubscribing %d channels", cause, listening.size());
        vertx.setTimer(500, id -> connection()
                .chain(c -> listening.isEmpty() ? Uni.createFrom().voidItem()
                        : c.send(subscribeAll()).replaceWithVoid())
                .subscribe().with(ok -> resubscribed.run(), err -> reconnect(null, err)));
    }

    /** The client name of this gateway's pub/sub connection. */
    public String clientName() {
        return "presence-bus-" + node.id();
    }

    private Request subscribeAll() {
        Request request = Request.cmd(Command.SUBSCRIBE);
        listening.keySet().forEach(request::arg);
        return request;
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        RedisConnection c = subscriber;
        if (c != null) {
            c.closeAndForget();
        }
    }
}
