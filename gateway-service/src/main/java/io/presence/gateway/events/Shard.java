package io.presence.gateway.events;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.redis.client.RedisOptions;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/** One master's sharded pub/sub connection and the channels subscribed on it (guarded by its {@link ShardedBus}'s lock). */
final class Shard {

    private static final Logger LOG = Logger.getLogger(Shard.class);

    final String address;
    final Set<String> channels = new HashSet<>();
    private final ShardedBus bus;
    private final Vertx vertx;
    private final RedisOptions options;
    private final String clientName;
    /** Channels this gateway unsubscribed itself, whose sunsubscribe confirmation is still to come. */
    private final Map<String, Integer> unsubscribing = new HashMap<>();
    private Redis client;
    private Uni<RedisConnection> connecting;
    private volatile RedisConnection connection;

    Shard(ShardedBus bus, Vertx vertx, RedisOptions options, String clientName, String address) {
        this.bus = bus;
        this.vertx = vertx;
        this.options = options;
        this.clientName = clientName;
        this.address = address;
    }

    /** The connection now, if there is one. */
    RedisConnection current() {
        return connection;
    }

    synchronized Uni<RedisConnection> connection() {
        if (connection != null) {
            return Uni.createFrom().item(connection);
        }
        if (connecting == null) {
            client = Redis.createClient(vertx, options);
            connecting = client.connect()
                    // the name first: a reply to it arriving after a push would be taken for one
                    .call(c -> c.send(Request.cmd(Command.CLIENT).arg("SETNAME").arg(clientName)).onFailure().recoverWithNull())
                    .invoke(c -> {
                        c.handler(push -> bus.onPush(this, push));
                        c.exceptionHandler(e -> bus.lost(this, c, e));
                        c.endHandler(() -> bus.lost(this, c, null));
                        synchronized (this) {
                            connection = c;
                        }
                    })
                    .onFailure().invoke(err -> bus.failed(this))
                    .eventually(() -> {
                        synchronized (this) {
                            connecting = null;
                        }
                    })
                    .memoize().indefinitely();
        }
        return connecting;
    }

    void unsubscribe(String channel) {
        RedisConnection c = connection;
        if (c == null) {
            return;
        }
        synchronized (bus) {
            unsubscribing.merge(channel, 1, Integer::sum);
        }
        c.send(Request.cmd(Command.SUNSUBSCRIBE).arg(channel)).subscribe().with(ok -> { }, err -> LOG.debugf("sunsubscribe %s: %s", channel, err));
    }

    /** Whether a sunsubscribe push answers this gateway's own SUNSUBSCRIBE. Holds the bus's lock. */
    boolean ownUnsubscribe(String channel) {
        Integer pending = unsubscribing.get(channel);
        if (pending == null) {
            return false;
        }
        if (pending == 1) {
            unsubscribing.remove(channel);
        } else {
            unsubscribing.put(channel, pending - 1);
        }
        return true;
    }

    synchronized void close() {
        RedisConnection c = connection;
        connection = null;
        if (c != null) {
            c.closeAndForget();
        }
        if (client != null) {
            client.close();
        }
    }
}
