package io.presence.common.presence;

import io.presence.common.event.Event;
import io.presence.common.event.MemberEvent;
import io.presence.common.store.PresenceSchema;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Where a {@link MemoryPresenceStore} announces what it decides: each member event gets its channel's next sequence
 * number (the counter the channel's other events share) and goes to the channel's bus. A gateway's in-memory broker
 * is one; {@link #counting} is one of its own.
 */
public interface MemberAnnouncer {

    /** Numbers {@code event} (whose own number is ignored) with the channel's next number, hands it on and answers the number. */
    long announce(String appId, String channel, MemberEvent event);

    /**
     * Hands on what {@link #announce} queued, in order; the store calls it after letting go of its lock, so a handler
     * may call the store (and a reader holding its own lock while it reads the store cannot deadlock with it). Nothing
     * by default: the event went at once.
     */
    default void deliver() {
    }

    /** The channel's current sequence number, 0 before its first event. */
    long current(String appId, String channel);

    /** Counters of its own, handing each numbered event to {@code sink} at once, with the channel's bus name from {@code schema}. */
    static MemberAnnouncer counting(PresenceSchema schema, BiConsumer<String, Event> sink) {
        Map<String, Long> sequences = new HashMap<>();
        return new MemberAnnouncer() {
            @Override
            public long announce(String appId, String channel, MemberEvent event) {
                String bus = schema.busChannel(appId, channel);
                long seq;
                synchronized (sequences) {
                    seq = sequences.merge(bus, 1L, Long::sum);
                }
                sink.accept(bus, new MemberEvent(seq, event.userId(), event.state()));
                return seq;
            }

            @Override
            public long current(String appId, String channel) {
                synchronized (sequences) {
                    return sequences.getOrDefault(schema.busChannel(appId, channel), 0L);
                }
            }
        };
    }
}
