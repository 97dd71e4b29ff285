package io.presence.gateway.events;

import io.presence.common.event.ChannelEvent;
import io.presence.common.event.ControlCommand;
import io.presence.common.event.Event;
import io.presence.common.event.MemberEvent;
import io.presence.common.presence.MemberAnnouncer;
import io.presence.common.store.PresenceSchema;
import io.smallrye.mutiny.Uni;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongFunction;

/**
 * The broker of a single process, without Redis: publishing gives each event its channel's next sequence number, as
 * {@code publish.lua} does, and hands events and commands to the handlers in the order they were published, once
 * each, for the bus channels listened to. {@link #cut()} and {@link #restore()} play a bus outage. A
 * {@code MemoryPresenceStore} announces its member events here, numbered with the same counters.
 */
public final class MemoryBroker implements Broker, MemberAnnouncer {

    private final PresenceSchema schema;
    private final BrokerHandlers handlers = new BrokerHandlers();
    private final Set<String> listening = ConcurrentHashMap.newKeySet();
    /** Guarded by {@code this}: the last sequence number of each bus channel, and what waits to be handed on. */
    private final Map<String, Long> sequences = new HashMap<>();
    private final Queue<Runnable> deliveries = new ArrayDeque<>();
    private boolean delivering;
    private boolean connected = true;

    /** @param schema where the bus channel of an app's channel is named */
    public MemoryBroker(PresenceSchema schema) {
        this.schema = schema;
    }

    @Override
    public Uni<Void> register(Handler handler) {
        handlers.add(handler);
        return Uni.createFrom().voidItem();
    }

    @Override
    public Uni<Long> publish(String appId, String channel, ChannelEvent event) {
        long seq = sequence(appId, channel, event::withSeq);
        deliver();
        return Uni.createFrom().item(seq);
    }

    /** Numbers and queues a member event; the store hands it on with {@link #deliver()} once it let go of its lock. */
    @Override
    public long announce(String appId, String channel, MemberEvent event) {
        return sequence(appId, channel, seq -> new MemberEvent(seq, event.userId(), event.state()));
    }

    @Override
    public synchronized long current(String appId, String channel) {
        return sequences.getOrDefault(schema.busChannel(appId, channel), 0L);
    }

    /** Gives a channel's next event its number and queues it for the handlers; answers the number. */
    private long sequence(String appId, String channel, LongFunction<Event> numbered) {
        String bus = schema.busChannel(appId, channel);
        long seq;
        synchronized (this) {
            seq = sequences.merge(bus, 1L, Long::sum);
            Event sequenced = numbered.apply(seq);
            enqueue(() -> {
                if (listening.contains(bus)) {
                    handlers.onEvent(bus, sequenced);
                }
            });
        }
        return seq;
    }

    @Override
    public Uni<Void> command(ControlCommand command) {
        synchronized (this) {
            enqueue(() -> handlers.onCommand(command));
        }
        deliver();
        return Uni.createFrom().voidItem();
    }

    @Override
    public Uni<Void> listen(String bus) {
        listening.add(bus);
        return Uni.createFrom().voidItem();
    }

    @Override
    public void stopListening(String bus) {
        listening.remove(bus);
    }

    /** Starts an outage: what is published from now on is sequenced but never arrives. */
    public synchronized void cut() {
        connected = false;
    }

    /** Ends an outage: the handlers are told that the subscriptions are back. */
    public void restore() {
        synchronized (this) {
            connected = true;
            deliveries.add(handlers::onRestored);
        }
        deliver();
    }

    @Override
    public void close() {
        cut();
    }

    /** Queues a delivery unless the bus is cut. Holds the lock. */
    private void enqueue(Runnable delivery) {
        if (connected) {
            deliveries.add(delivery);
        }
    }

    /** Hands on what waits, in order, on one thread at a time; a handler that publishes gets its event after this one. */
    @Override
    public void deliver() {
        while (true) {
            Runnable next;
            synchronized (this) {
                if (delivering || deliveries.isEmpty()) {
                    return;
                }
                delivering = true;
                next = deliveries.poll();
            }
            try {
                next.run();
            } finally {
                synchronized (this) {
                    delivering = false;
                }
            }
        }
    }
}
