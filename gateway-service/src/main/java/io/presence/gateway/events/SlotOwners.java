package io.presence.gateway.events;

import io.presence.common.redis.ClusterSlots;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/** The master of every cluster slot, read with CLUSTER SLOTS once and kept until something suggests it changed. */
final class SlotOwners {

    private final Redis cluster;
    /** Slot -> address of its master, null until read (and after {@link #forget()}); guarded by {@code this}. */
    private String[] owners;
    private Uni<String[]> loading;

    /** @param cluster the service's cluster client, which asks some node */
    SlotOwners(Redis cluster) {
        this.cluster = cluster;
    }

    /** The master address ({@code host:port}) of every slot; one CLUSTER SLOTS call serves everyone waiting. */
    synchronized Uni<String[]> get() {
        if (owners != null) {
            return Uni.createFrom().item(owners);
        }
        if (loading == null) {
            loading = cluster.send(Request.cmd(Command.CLUSTER).arg("SLOTS"))
                    .map(SlotOwners::owners)
                    .invoke(map -> {
                        synchronized (this) {
                            owners = map;
                        }
                    })
                    .eventually(() -> {
                        synchronized (this) {
                            loading = null;
                        }
                    })
                    .memoize().indefinitely();
        }
        return loading;
    }

    /** The next {@link #get()} reads the slots again. */
    synchronized void forget() {
        owners = null;
    }

    /** CLUSTER SLOTS: [start, end, [master host, port, ...], replicas...] per range. */
    private static String[] owners(Response slots) {
        String[] map = new String[ClusterSlots.COUNT];
        for (Response range : slots) {
            Response master = range.get(2);
            String address = master.get(0).toString() + ":" + master.get(1).toInteger();
            for (int slot = range.get(0).toInteger(); slot <= range.get(1).toInteger(); slot++) {
                map[slot] = address;
            }
        }
        return map;
    }
}
