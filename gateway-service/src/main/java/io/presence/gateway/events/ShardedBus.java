package io.presence.gateway.events;

import io.presence.common.redis.ClusterSlots;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.ResponseType;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * A gateway's bus channels on sharded pub/sub (Redis Cluster, Redis 7): one SSUBSCRIBE connection per master that
 * owns a subscribed channel's slot, found with CLUSTER SLOTS. When a shard connection is lost, a master answers MOVED,
 * or Redis drops a subscription because its slot moved (a {@code sunsubscribe} push), the slots are read again, every
 * channel is subscribed where its slot lives now, and the restore listeners repair what was missed meanwhile.
 */
final class ShardedBus {

    private static final Logger LOG = Logger.getLogger(ShardedBus.class);
    private static final long RETRY_MILLIS = 250;

    private final Vertx vertx;
    private final SlotOwners slots;
    private final Function<String, RedisOptions> options;
    /** A configured node URL, whose scheme, credentials and path the shard connections use. */
    private final URI seed;
    private final String clientName;
    private final Consumer<Response> messages;
    private final Runnable restored;

    /** Bus channels wanted -> the shared wait for their first subscription. */
    private final Map<String, Uni<Void>> wanted = new ConcurrentHashMap<>();
    /** Guarded by {@code this}: shards by address, and the shard each channel is subscribed on. */
    private final Map<String, Shard> shards = new HashMap<>();
    private final Map<String, Shard> placed = new HashMap<>();
    private boolean remapping;
    private boolean remapAgain;
    private volatile boolean stopped;

    /**
     * @param cluster    the service's cluster client, which asks some node for CLUSTER SLOTS
     * @param options    the options of a connection to a node URL (the password)
     * @param seed       a configured node URL, whose scheme and credentials the shard connections use
     * @param messages   where pushes that are not about subscriptions go ({@code smessage})
     * @param restored   runs once every channel is subscribed again after a loss
     */
    ShardedBus(Vertx vertx, Redis cluster, Function<String, RedisOptions> options, String seed, String clientName,
               Consumer<Response> messages, Runnable restored) {
        this.vertx = vertx;
        this.slots = new SlotOwners(cluster);
        this.options = options;
        this.seed = URI.create(seed);
        this.clientName = clientName;
        this.messages = messages;
        this.restored = restored;
    }

    /** Subscribes a bus channel on the master that owns its slot; completes once the SSUBSCRIBE is sent there. */
    Uni<Void> listen(String bus) {
        return wanted.computeIfAbsent(bus, b -> place(b)
                .onFailure().invoke(err -> {
                    wanted.remove(b);
                    slots.forget(); // the caller retries, against the slots as they are now
                })
                .memoize().indefinitely());
    }

    /** Stops receiving a bus channel; a shard left without channels is disconnected. */
    void stopListening(String bus) {
        if (wanted.remove(bus) == null) {
            return;
        }
        Shard shard;
        synchronized (this) {
            shard = placed.remove(bus);
            if (shard == null) {
                return;
            }
            shard.channels.remove(bus);
        }
        shard.unsubscribe(bus);
        closeIfIdle(shard);
    }

    /** Whether a bus channel is wanted (subscribed, or being subscribed). */
    boolean listens(String bus) {
        return wanted.containsKey(bus);
    }

    /** Number of shard connections open or opening (for tests). */
    synchronized int shardCount() {
        return shards.size();
    }

    void stop() {
        stopped = true;
        List<Shard> all;
        synchronized (this) {
            all = new ArrayList<>(shards.values());
            shards.clear();
        }
        all.forEach(Shard::close);
    }

    private Uni<Void> place(String bus) {
        return slots.get().chain(map -> {
            String address = map[ClusterSlots.of(bus)];
            if (address == null) {
                return Uni.createFrom().failure(new IllegalStateException("no master serves the slot of " + bus));
            }
            Shard shard = shard(address);
            return shard.connection()
                    .chain(c -> c.send(Request.cmd(Command.SSUBSCRIBE).arg(bus)))
                    .invoke(ok -> placedOn(bus, shard))
                    .replaceWithVoid();
        });
    }

    private void placedOn(String bus, Shard shard) {
        Shard stale = null;
        synchronized (this) {
            if (!wanted.containsKey(bus)) {
                stale = shard; // stopped listening meanwhile
            } else {
                Shard before = placed.put(bus, shard);
                shard.channels.add(bus);
                if (before != null && before != shard) {
                    before.channels.remove(bus);
                    stale = before;
                }
            }
        }
        if (stale != null) {
            stale.unsubscribe(bus);
            closeIfIdle(stale);
        }
    }

    private synchronized Shard shard(String address) {
        return shards.computeIfAbsent(address, a -> new Shard(this, vertx, options.apply(url(a)), clientName, a));
    }

    private void closeIfIdle(Shard shard) {
        synchronized (this) {
            if (!shard.channels.isEmpty() || shards.get(shard.address) != shard) {
                return;
            }
            shards.remove(shard.address);
        }
        shard.close();
    }

    /** Something moved: read the slots again after a moment and put every channel where its slot lives now. */
    private void remapSoon() {
        slots.forget();
        synchronized (this) {
            if (remapping) {
                remapAgain = true;
                return;
            }
            remapping = true;
        }
        vertx.setTimer(RETRY_MILLIS, id -> remap());
    }

    private void remap() {
        if (stopped) {
            return;
        }
        slots.get().chain(map -> {
            List<Uni<Void>> moves = new ArrayList<>();
            for (String bus : wanted.keySet()) {
                String address = map[ClusterSlots.of(bus)];
                boolean settled;
                synchronized (this) {
                    Shard current = placed.get(bus);
                    settled = current != null && current.address.equals(address) && shards.get(address) == current;
                }
                if (!settled) {
                    moves.add(place(bus));
                }
            }
            return moves.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(moves).andFailFast().replaceWithVoid();
        }).subscribe().with(ok -> {
            synchronized (this) {
                if (remapAgain) {
                    remapAgain = false;
                    vertx.setTimer(RETRY_MILLIS, id -> remap());
                    return;
                }
                remapping = false;
            }
            LOG.infof("sharded bus: %d channels subscribed again on %d masters", wanted.size(), shardCount());
            restored.run();
        }, err -> {
            LOG.warnf("sharded bus: subscribing again failed (%s); retrying", err.toString());
            slots.forget();
            vertx.setTimer(RETRY_MILLIS, id -> remap());
        });
    }

    void onPush(Shard shard, Response push) {
        if (push == null) {
            return;
        }
        if (push.type() == ResponseType.ERROR) {
            // a SSUBSCRIBE that reached a node no longer serving the slot: MOVED, CLUSTERDOWN, TRYAGAIN ...
            LOG.warnf("sharded bus: %s answered %s", shard.address, push.toString());
            remapSoon();
            return;
        }
        if (push.size() >= 2 && "sunsubscribe".equals(push.get(0).toString())) {
            String bus = push.get(1).toString();
            boolean dropped;
            synchronized (this) {
                dropped = !shard.ownUnsubscribe(bus) && placed.get(bus) == shard && wanted.containsKey(bus);
                if (dropped) {
                    placed.remove(bus);
                    shard.channels.remove(bus);
                }
            }
            if (dropped) {
                LOG.infof("sharded bus: %s dropped %s (its slot moved)", shard.address, bus);
                closeIfIdle(shard);
                remapSoon();
            }
            return;
        }
        messages.accept(push);
    }

    void lost(Shard shard, RedisConnection broken, Throwable cause) {
        synchronized (this) {
            if (shard.current() != broken || shards.get(shard.address) != shard) {
                return;
            }
            shards.remove(shard.address);
            shard.channels.forEach(bus -> placed.remove(bus, shard));
        }
        shard.close();
        if (!stopped) {
            LOG.warnf("sharded bus: connection to %s lost (%s); subscribing its %d channels again", shard.address, cause,
                    shard.channels.size());
            remapSoon();
        }
    }

    /** The URL of a node's {@code host:port}, with the seed's scheme, credentials and path. */
    private String url(String address) {
        int colon = address.lastIndexOf(':');
        String host = address.substring(0, colon);
        int port = Integer.parseInt(address.substring(colon + 1));
        try {
            return new URI(seed.getScheme(), seed.getUserInfo(), host, port, seed.getPath(), null, null).toString();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a node address: " + address, e);
        }
    }

    /** A shard that never connected is dropped, so the next attempt connects afresh (perhaps elsewhere). */
    synchronized void failed(Shard shard) {
        if (shard.channels.isEmpty()) {
            shards.remove(shard.address, shard);
        }
    }
}
