package io.presence.message.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.presence.common.event.AfterCommit;
import io.presence.common.event.ChannelEvent;
import io.presence.common.event.EventPublisher;
import io.presence.common.problem.ProblemException;
import io.presence.common.problem.ProblemType;
import io.presence.common.pusher.PusherConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.Collection;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Hands committed changes to the gateways as channel events ({@link EventPublisher}), in the order they happened.
 * A {@link RealtimeEvent} takes its place in its channel's order when it is fired, inside the transaction, and is
 * published once the transaction committed (its place is given up if it rolled back). Messages draw their ids inside
 * {@link #inChannelOrder}, which holds the channel's order while the id is drawn and the event fired, so a channel's
 * messages go out in id order (within one message-service instance). Redis being away only delays publishing (the
 * publisher retries until it is back); when too many events are waiting, a change is refused with 503 and rolled
 * back, so nothing acknowledged goes undelivered.
 */
@ApplicationScoped
public class RealtimePublisher {

    private static final int STRIPES = 256;

    private final EventPublisher publisher;
    private final TransactionSynchronizationRegistry transactions;
    private final ObjectMapper json;
    private final EventPayloads payloads;
    private final String appId;
    private final Object[] orderLocks = new Object[STRIPES];
    /** Prefix of the ids of message events: random per process. */
    private final String eventIds = "message-" + UUID.randomUUID() + "-";

    public RealtimePublisher(EventPublisher publisher, TransactionSynchronizationRegistry transactions, ObjectMapper json,
                             PusherConfig pusher, EventPayloads payloads) {
        this.payloads = payloads;
        this.publisher = publisher;
        this.transactions = transactions;
        this.json = json;
        this.appId = pusher.appId();
        for (int i = 0; i < STRIPES; i++) {
            orderLocks[i] = new Object();
        }
    }

    /** Runs a change that draws a message id and fires its event, while no other change of the channel does. */
    public <T> T inChannelOrder(String channel, Supplier<T> change) {
        synchronized (orderLocks[stripe(channel)]) {
            return change.get();
        }
    }

    /** As {@link #inChannelOrder(String, Supplier)} for a change drawing ids in several channels (a batch of sends). */
    public <T> T inChannelOrder(Collection<String> channels, Supplier<T> change) {
        int[] stripes = channels.stream().mapToInt(RealtimePublisher::stripe).distinct().sorted().toArray();
        return locked(stripes, 0, change);
    }

    /** The next place in the channel's order for an event released later; 503 when too many events are waiting. */
    public EventPublisher.Ticket reserve(String channel) {
        try {
            return publisher.reserve(appId, channel);
        } catch (EventPublisher.Refused e) {
            throw new ProblemException(ProblemType.STORE_UNAVAILABLE, "real-time delivery is backed up; retry in a moment");
        }
    }

    /** Publishes a committed change's event into its reserved place. */
    public void release(EventPublisher.Ticket ticket, RealtimeEvent event) {
        ticket.release(ChannelEvent.server(event.name(), encode(event.data()), null));
    }

    /**
     * Publishes a committed message's {@code message} event, its data already encoded (see {@link #encode}), into its
     * reserved place. The event id is this process's random prefix and the message id (unique, as the publisher's
     * idempotency needs, even after a database restore rewinds ids), so no random id is drawn per message.
     */
    public void releaseMessage(EventPublisher.Ticket ticket, long messageId, String encoded) {
        ticket.release(new ChannelEvent(0, eventIds + messageId, RealtimeEvent.MESSAGE, encoded, null, null, null, false,
                Set.of(), true));
    }

    // stripes in ascending order, so two multi-channel changes never wait for each other in a cycle
    private <T> T locked(int[] stripes, int next, Supplier<T> change) {
        if (next == stripes.length) {
            return change.get();
        }
        synchronized (orderLocks[stripes[next]]) {
            return locked(stripes, next + 1, change);
        }
    }

    private static int stripe(String channel) {
        return Math.floorMod(channel.hashCode(), STRIPES);
    }

    void onFired(@Observes RealtimeEvent event) {
        try {
            AfterCommit.publish(publisher, transactions, appId, event.channel(), ChannelEvent.server(event.name(), encode(event.data()), null));
        } catch (EventPublisher.Refused e) {
            throw new ProblemException(ProblemType.STORE_UNAVAILABLE, "real-time delivery is backed up; retry in a moment");
        }
    }

    /** The payload as a JSON string (Pusher's double encoding: the frame's data is a string); also a REST answer's body. */
    public String encode(Object data) {
        try {
            return json.writeValueAsString(payloads.toWire(data));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a realtime event", e);
        }
    }
}
