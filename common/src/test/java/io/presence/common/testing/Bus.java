package io.presence.common.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.presence.common.event.ChannelEvent;
import io.presence.common.event.EventCodec;
import io.presence.common.event.EventPublisher;
import io.presence.common.pusher.PusherConfig;
import io.presence.common.store.PresenceSchema;
import io.presence.common.store.PresenceStoreConfig;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;
import io.vertx.mutiny.redis.client.Redis;
import java.util.ArrayList;
import java.util.List;

/**
 * Listens on a channel's Redis bus the way a gateway does, inside a {@code @QuarkusTest}, and decodes the events the
 * running app publishes there. Markers travel the app's own ordered path: they are published through the app's
 * {@link EventPublisher}, which sends a channel's events in the order their places were reserved, so a marker comes
 * after every event the app had reserved on the channel before it (a change reserves its event before it answers).
 */
public final class Bus implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The name of the marker events ({@link #nextUntilMarker}). */
    private static final String MARKER_EVENT = "test_marker";

    /** One decoded event: its name and its data (decoded from the JSON string it travels as). */
    public record Frame(String event, String channel, JsonNode data) {
    }

    private final Inbox inbox;
    private final EventPublisher publisher;
    private final String appId;
    private final String channel;
    private long lastSeq;

    private Bus(Redis redis, EventPublisher publisher, String keyPrefix, String appId, String channel) {
        this.publisher = publisher;
        this.appId = appId;
        this.channel = channel;
        // a connection of the app's own Redis client (the one its publisher uses, so the bean is always there)
        this.inbox = Inbox.subscribe(redis, new PresenceSchema(keyPrefix).busChannel(appId, channel));
    }

    /**
     * Listens on a channel of the running app, from now on: whatever the app reserved on the channel before this call
     * (say, the system message of a join that already answered) is read and dropped, up to a first marker.
     */
    public static Bus listen(String channel) {
        ArcContainer app = Arc.container();
        Bus bus = new Bus(app.instance(Redis.class).get(), app.instance(EventPublisher.class).get(),
                app.instance(PresenceStoreConfig.class).get().keyPrefix(), app.instance(PusherConfig.class).get().appId(), channel);
        String marker = Inbox.newMarker();
        bus.lastSeq = bus.publishMarker(marker);
        bus.inbox.until(marker);
        return bus;
    }

    /** The next frame within {@link Inbox#CEILING}, or an assertion error. */
    public Frame next() throws Exception {
        return decode(inbox.next());
    }

    /**
     * Publishes a marker event through the app's publisher and answers every frame published on the channel before
     * it: everything the app reserved on the channel until now.
     */
    public List<Frame> nextUntilMarker() throws Exception {
        String marker = Inbox.newMarker();
        long markerSeq = publishMarker(marker);
        List<Frame> before = new ArrayList<>();
        for (String message : inbox.until(marker)) {
            before.add(decode(message));
        }
        checkConsecutive(markerSeq, "the marker");
        return before;
    }

    /** Asserts that the app published nothing on the channel between the last frame read and now. */
    public void expectNothing() throws Exception {
        List<Frame> unexpected = nextUntilMarker();
        if (!unexpected.isEmpty()) {
            throw new AssertionError("unexpected on " + channel + ": " + unexpected);
        }
    }

    private long publishMarker(String marker) {
        return publishMarker(publisher, appId, channel, marker);
    }

    /** Publishes a marker event through {@code publisher}, after every event it reserved on the channel; answers its number. */
    public static long publishMarker(EventPublisher publisher, String appId, String channel, String marker) {
        return publisher.publish(appId, channel, ChannelEvent.server(MARKER_EVENT, "\"" + marker + "\"", null))
                .await().atMost(Inbox.CEILING);
    }

    private Frame decode(String message) throws Exception {
        ChannelEvent event = (ChannelEvent) EventCodec.decode(message);
        checkConsecutive(event.seq(), message);
        if (!event.durable() || event.except() != null) {
            throw new AssertionError("backend events are kept for replay and go to every subscriber: " + message);
        }
        return new Frame(event.name(), channel, JSON.readTree(event.data()));
    }

    private void checkConsecutive(long seq, String what) {
        if (seq != lastSeq + 1) {
            throw new AssertionError("events are numbered consecutively: " + lastSeq + " then " + seq + " (" + what + ")");
        }
        lastSeq = seq;
    }

    @Override
    public void close() {
        inbox.close();
    }
}
