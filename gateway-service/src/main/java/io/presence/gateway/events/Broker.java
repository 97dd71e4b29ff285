package io.presence.gateway.events;

import io.presence.common.event.ChannelEvent;
import io.presence.common.event.ControlCommand;
import io.presence.common.event.Event;
import io.smallrye.mutiny.Uni;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The event bus as this gateway uses it: publish a channel's events (each gets the channel's next sequence number)
 * and control commands, listen to the bus channels of the channels with local subscribers, and hand what arrives to
 * the {@link Handler}s. Chosen once from {@code EventsConfig#pubsub()} by {@link Brokers}: classic Redis pub/sub
 * ({@link ClassicRedisBroker}) or sharded ({@link ShardedRedisBroker}); {@link MemoryBroker} serves one process.
 * History (the stored events after a sequence number) is not here: it is read with the members, in one step, from
 * the presence store's channel state ({@code PresenceStore#state}), so a channel's repair sees both as of one moment.
 */
public interface Broker {

    /** What arrives from the bus; every method does nothing by default, so a handler takes only what it needs. */
    interface Handler {

        /** An event on a bus channel this gateway listens to, in the channel's order. */
        default void onEvent(String bus, Event event) {
        }

        /** A control command for every gateway. */
        default void onCommand(ControlCommand command) {
        }

        /** The bus was lost and every subscription is back: what was published meanwhile never came. */
        default void onRestored() {
        }
    }

    /**
     * Adds a handler, which receives everything that arrives from now on, and listens to the control channel;
     * completes once the control channel is subscribed (commands sent before that do not arrive).
     */
    Uni<Void> register(Handler handler);

    /** Where decoded events go, with the bus channel they came on. */
    default void onEvent(BiConsumer<String, Event> handler) {
        register(new Handler() {
            @Override
            public void onEvent(String bus, Event event) {
                handler.accept(bus, event);
            }
        });
    }

    /** Where control commands go; the control channel is subscribed at once. */
    default void onCommand(Consumer<ControlCommand> handler) {
        register(new Handler() {
            @Override
            public void onCommand(ControlCommand command) {
                handler.accept(command);
            }
        });
    }

    /** Runs after the bus was lost and everything is subscribed again: what was published meanwhile never came. */
    default void onRestored(Runnable listener) {
        register(new Handler() {
            @Override
            public void onRestored() {
                listener.run();
            }
        });
    }

    /** Publishes an event on a channel; completes with its sequence number (Redis: fails at once when the publisher's queue is full). */
    Uni<Long> publish(String appId, String channel, ChannelEvent event);

    /** Sends a command to every gateway. */
    Uni<Void> command(ControlCommand command);

    /**
     * Starts receiving a bus channel; completes once the subscription is confirmed. Every caller waits for that
     * confirmation, not just the first, so nobody believes it listens before it does.
     */
    Uni<Void> listen(String bus);

    /** Stops receiving a bus channel: from now on nothing of it reaches the handlers. */
    void stopListening(String bus);

    /** Stops for good (shutdown): no more reconnecting. */
    void close();
}
