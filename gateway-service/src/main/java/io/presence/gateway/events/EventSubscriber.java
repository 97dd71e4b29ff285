package io.presence.gateway.events;

import io.presence.common.event.ControlCommand;
import io.presence.common.event.Event;
import io.presence.common.event.EventCodec;
import io.presence.common.event.EventsConfig;
import io.presence.common.presence.PresenceStoreConfig;
import io.presence.gateway.presence.NodeIdentity;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.RedisOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * This gateway's one subscriber to the event bus: a dedicated pub/sub connection that listens to the control
 * channel and to the bus channel of every channel with local subscribers, decodes what arrives and hands it on
 * (events to the hub, commands to their handler). When the connection is lost it connects again (to the next
 * configured Redis node, on a cluster), subscribes to everything again, and tells its listeners, which repair what
 * they may have missed. On a Redis Cluster a PUBLISH reaches every node, so one connection to any node hears all;
 * with sharded pub/sub ({@link EventsConfig#pubsub()}) that connection keeps only the control channel, and the bus
 * channels are SSUBSCRIBEd on the masters that own them ({@link ShardedBus}).
 */
@ApplicationScoped
public class EventSubscriber {

    private static final Logger LOG = Logger.getLogger(EventSubscriber.class);
    private static final long RECONNECT_MILLIS = 250;

    private final Vertx vertx;
    private final List<String> hosts;
    private final Optional<String> password;
    private final String control;
    private final NodeIdentity node;
    /** The bus channels on sharded pub/sub, or null for classic pub/sub. */
    private final ShardedBus sharded;
    /** Bus channels listened to -> the shared wait for Redis to confirm the subscription. */
    private final Map<String, Uni<Void>> listening = new ConcurrentHashMap<>();
    private final List<Runnable> restoredListeners = new CopyOnWriteArrayList<>();
    private volatile BiConsumer<String, Event> eventHandler = (bus, event) -> { };
    private volatile Consumer<ControlCommand> commandHandler = command -> { };
    private volatile RedisConnection connection;
    private Redis client;
    private Uni<RedisConnection> connecting;
    private int hostIndex;
    private volatile boolean stopped;

    public EventSubscriber(Vertx vertx, @ConfigProperty(name = "quarkus.redis.hosts") List<String> hosts,
                           @ConfigProperty(name = "quarkus.redis.password") Optional<String> password,
                           PresenceStoreConfig store, EventsConfig events, NodeIdentity node, Redis redis) {
        this.vertx = vertx;
        this.hosts = hosts;
        this.password = password;
        this.control = store.schema().control();
        this.node = node;
        this.sharded = events.sharded()
                ? new ShardedBus(vertx, redis, this::options, hosts.get(0), clientName(), this::onMessage, this::restored)
                : null;
    }

    /** Where decoded events go, with the bus channel they came on. */
    public void onEvent(BiConsumer<String, Event> handler) {
        this.eventHandler = handler;
    }

    /** Where control commands go; the control channel is subscribed at once. */
    public void onCommand(Consumer<ControlCommand> handler) {
        this.commandHandler = handler;
        listen(control).subscribe().with(ok -> { }, err -> LOG.warnf("control channel not subscribed yet: %s", err.toString()));
    }

    /** Runs after the connection was lost and everything is subscribed again: what was published meanwhile never came. */
    public void onRestored(Runnable listener) {
        restoredListeners.add(listener);
    }

    /**
     * Starts receiving a bus channel; completes once Redis confirmed the subscription. Every caller waits for that
     * confirmation, not just the first, so nobody believes it listens before it does.
     */
    public Uni<Void> listen(String bus) {
        if (sharded != null && !bus.equals(control)) {
            return sharded.listen(bus);
        }
        return listening.computeIfAbsent(bus, b -> connection()
                .chain(c -> c.send(Request.cmd(Command.SUBSCRIBE).arg(b)))
                .replaceWithVoid()
                .onFailure().invoke(err -> listening.remove(b))
                .memoize().indefinitely());
    }

    /** Stops receiving a bus channel. */
    public void stopListening(String bus) {
        if (sharded != null && !bus.equals(control)) {
            sharded.stopListening(bus);
            return;
        }
        if (listening.remove(bus) == null) {
            return;
        }
        RedisConnection c = connection;
        if (c != null) {
            c.send(Request.cmd(Command.UNSUBSCRIBE).arg(bus)).subscribe().with(ok -> { }, err -> LOG.debugf("unsubscribe %s: %s", bus, err));
        }
    }

    /** The client name of this gateway's pub/sub connection (in Redis's CLIENT LIST). */
    public String clientName() {
        return "presence-bus-" + node.id();
    }

    private synchronized Uni<RedisConnection> connection() {
        if (connection != null) {
            return Uni.createFrom().item(connection);
        }
        if (connecting == null) {
            if (client != null) {
                client.close();
            }
            client = Redis.createClient(vertx, options(hosts.get(hostIndex % hosts.size())));
            connecting = client.connect()
                    .invoke(c -> {
                        c.handler(this::onMessage);
                        c.exceptionHandler(e -> lost(c, e));
                        c.endHandler(() -> lost(c, null));
                        connection = c;
                    })
                    .call(c -> c.send(Request.cmd(Command.CLIENT).arg("SETNAME").arg(clientName())).onFailure().recoverWithNull())
                    .onFailure().invoke(err -> {
                        synchronized (this) {
                            hostIndex++;
                        }
                    })
                    .eventually(() -> {
                        synchronized (this) {
                            connecting = null;
                        }
                    })
                    .memoize().indefinitely();
        }
        return connecting;
    }

    /** A pub/sub connection to one node, with the password the service's own client uses (if any). */
    private RedisOptions options(String url) {
        RedisOptions options = new RedisOptions().setConnectionString(url);
        password.ifPresent(options::setPassword);
        return options;
    }

    private void onMessage(Response push) {
        // a pub/sub push: ["message" or "smessage", bus channel, payload]
        if (push == null || push.size() < 3) {
            return;
        }
        String kind = push.get(0).toString();
        if (!"message".equals(kind) && !"smessage".equals(kind)) {
            return;
        }
        String bus = push.get(1).toString();
        String payload = push.get(2).toString();
        try {
            if (bus.equals(control)) {
                commandHandler.accept(EventCodec.decodeCommand(payload));
            } else {
                eventHandler.accept(bus, EventCodec.decode(payload));
            }
        } catch (IllegalArgumentException e) {
            LOG.warnf("ignoring a malformed message on %s: %s", bus, e.getMessage());
        } catch (RuntimeException e) {
            LOG.errorf(e, "handling a message on %s failed", bus);
        }
    }

    private void lost(RedisConnection broken, Throwable cause) {
        synchronized (this) {
            if (connection != broken) {
                return;
            }
            connection = null;
            hostIndex++;
        }
        if (stopped) {
            return;
        }
        LOG.warnf("Redis pub/sub connection lost (%s); subscribing %d channels again", cause, listening.size());
        resubscribe();
    }

    private void resubscribe() {
        vertx.setTimer(RECONNECT_MILLIS, id -> connection()
                .chain(c -> {
                    Set<String> channels = listening.keySet();
                    if (channels.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    Request subscribe = Request.cmd(Command.SUBSCRIBE);
                    channels.forEach(subscribe::arg);
                    return c.send(subscribe).replaceWithVoid();
                })
                .subscribe().with(ok -> restored(), err -> {
                    LOG.warnf("reconnecting the pub/sub connection failed: %s", err.toString());
                    if (!stopped) {
                        resubscribe();
                    }
                }));
    }

    private void restored() {
        restoredListeners.forEach(EventSubscriber::runSafely);
    }

    private static void runSafely(Runnable listener) {
        try {
            listener.run();
        } catch (RuntimeException e) {
            LOG.errorf(e, "a bus restore listener failed");
        }
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        if (sharded != null) {
            sharded.stop();
        }
        RedisConnection c = connection;
        if (c != null) {
            c.closeAndForget();
        }
    }
}
