package io.presence.common.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.presence.common.event.ChannelEvent;
import io.presence.common.event.EventCodec;
import io.presence.common.presence.PresenceSchema;
import io.presence.common.presence.PresenceStoreConfig;
import io.presence.common.pusher.PusherConfig;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.pubsub.PubSubCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Listens on a channel's Redis bus the way a gateway does, and decodes the events published there. */
public final class Bus implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One decoded event: its name and its data (decoded from the JSON string it travels as). */
    public record Frame(String event, String channel, JsonNode data) {
    }

    private final BlockingQueue<String> raw = new LinkedBlockingQueue<>();
    private final PubSubCommands.RedisSubscriber subscriber;
    private final String channel;
    private long lastSeq;

    public Bus(RedisDataSource redis, String keyPrefix, String appId, String channel) {
        this.channel = channel;
        this.subscriber = redis.pubsub(String.class).subscribe(new PresenceSchema(keyPrefix).busChannel(appId, channel), raw::add);
    }

    /** Listens on a channel of the main app, inside a {@code @QuarkusTest}: the running app's Redis, key prefix and app id. */
    public static Bus listen(String channel) {
        ArcContainer app = Arc.container();
        return new Bus(app.instance(RedisDataSource.class).get(), app.instance(PresenceStoreConfig.class).get().keyPrefix(),
                app.instance(PusherConfig.class).get().appId(), channel);
    }

    /** The next frame within 5 s, or an assertion error. */
    public Frame next() throws Exception {
        String message = raw.poll(5, TimeUnit.SECONDS);
        if (message == null) {
            throw new AssertionError("no frame published within 5 s");
        }
        ChannelEvent event = (ChannelEvent) EventCodec.decode(message);
        if (lastSeq != 0 && event.seq() != lastSeq + 1) {
            throw new AssertionError("events are numbered consecutively: " + lastSeq + " then " + event.seq());
        }
        lastSeq = event.seq();
        if (!event.durable() || event.except() != null) {
            throw new AssertionError("backend events are kept for replay and go to every subscriber: " + message);
        }
        return new Frame(event.name(), channel, JSON.readTree(event.data()));
    }

    /** Frames that arrive within the given time (expected to be none in "nothing published" checks). */
    public List<String> drain(long millis) throws InterruptedException {
        List<String> left = new ArrayList<>();
        String m;
        while ((m = raw.poll(millis, TimeUnit.MILLISECONDS)) != null) {
            left.add(m);
        }
        return left;
    }

    @Override
    public void close() {
        subscriber.unsubscribe();
    }
}
