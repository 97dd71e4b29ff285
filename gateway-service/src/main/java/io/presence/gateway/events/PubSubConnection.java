package io.presence.gateway.events;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.RedisOptions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * One classic pub/sub connection (SUBSCRIBE) that stays connected: when it is lost it connects again, to the next
 * configured node on a cluster (a PUBLISH reaches every node, so any node hears all), subscribes every channel again
 * and then runs the restore callback, since what was published meanwhile never came.
 */
final class PubSubConnection {

    private static final Logger LOG = Logger.getLogger(PubSubConnection.class);
    private static final long RECONNECT_MILLIS = 250;

    private final Vertx vertx;
    private final List<String> hosts;
    private final Function<String, RedisOptions> options;
    private final String clientName;
    private final Consumer<Response> pushes;
    private final Runnable restored;
    /** Channels subscribed -> the shared wait for Redis to confirm the subscription. */
    private final Map<String, Uni<Void>> listening = new ConcurrentHashMap<>();
    private volatile RedisConnection connection;
    private Redis client;
    private Uni<RedisConnection> connecting;
    private int hostIndex;
    private volatile boolean stopped;

    /**
     * @param hosts    the configured node URLs, tried in turn
     * @param options  the options of a connection to a node URL (the password)
     * @param pushes   where every push goes ({@code message} and the rest)
     * @param restored runs once every channel is subscribed again after a loss
     */
    PubSubConnection(Vertx vertx, List<String> hosts, Function<String, RedisOptions> options, String clientName,
                     Consumer<Response> pushes, Runnable restored) {
        this.vertx = vertx;
        this.hosts = hosts;
        this.options = options;
        this.clientName = clientName;
        this.pushes = pushes;
        this.restored = restored;
    }

    /**
     * Subscribes a channel; completes once Redis confirmed the subscription. Every caller waits for that
     * confirmation, not just the first, so nobody believes it listens before it does.
     */
    Uni<Void> listen(String channel) {
        return listening.computeIfAbsent(channel, c -> connection()
                .chain(conn -> conn.send(Request.cmd(Command.SUBSCRIBE).arg(c)))
                .replaceWithVoid()
                .onFailure().invoke(err -> listening.remove(c))
                .memoize().indefinitely());
    }

    /** Unsubscribes a channel. */
    void stopListening(String channel) {
        if (listening.remove(channel) == null) {
            return;
        }
        RedisConnection c = connection;
        if (c != null) {
            c.send(Request.cmd(Command.UNSUBSCRIBE).arg(channel)).subscribe()
                    .with(ok -> { }, err -> LOG.debugf("unsubscribe %s: %s", channel, err));
        }
    }

    /** Whether the channel is subscribed (or being subscribed). */
    boolean listens(String channel) {
        return listening.containsKey(channel);
    }

    void stop() {
        stopped = true;
        RedisConnection c = connection;
        if (c != null) {
            c.closeAndForget();
        }
    }

    private synchronized Uni<RedisConnection> connection() {
        if (connection != null) {
            return Uni.createFrom().item(connection);
        }
        if (connecting == null) {
            if (client != null) {
                client.close();
            }
            client = Redis.createClient(vertx, options.apply(hosts.get(hostIndex % hosts.size())));
            connecting = client.connect()
                    .invoke(c -> {
                        c.handler(pushes::accept);
                        c.exceptionHandler(e -> lost(c, e));
                        c.endHandler(() -> lost(c, null));
                        connection = c;
                    })
                    .call(c -> c.send(Request.cmd(Command.CLIENT).arg("SETNAME").arg(clientName)).onFailure().recoverWithNull())
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
                .subscribe().with(ok -> restored.run(), err -> {
                    LOG.warnf("reconnecting the pub/sub connection failed: %s", err.toString());
                    if (!stopped) {
                        resubscribe();
                    }
                }));
    }
}
