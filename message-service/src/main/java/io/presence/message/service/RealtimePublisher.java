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
        synchronized (orderLocks[Math.floorMod(channel.hashCode(), STRIPES)]) {
            return change.get();
        }
    }

    void onFired(@Observes RealtimeEvent event) {
        try {
            AfterCommit.publish(publisher, transactions, appId, event.channel(), ChannelEvent.server(event.name(), encode(event.data()), null));
        } catch (EventPublisher.Refused e) {
            throw new ProblemException(ProblemType.STORE_UNAVAILABLE, "real-time delivery is backed up; retry in a moment");
        }
    }

    /** The payload as a JSON string (Pusher's double encoding: the frame's data is a string). */
    private String encode(Object data) {
        try {
            return json.writeValueAsString(payloads.toWire(data));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a realtime event", e);
        }
    }
}
