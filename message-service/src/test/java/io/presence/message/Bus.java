package io.presence.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.presence.common.presence.PresenceSchema;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.pubsub.PubSubCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Listens on a channel's Redis bus the way a gateway does, and decodes the Pusher frames published there. */
final class Bus implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One decoded frame: its event name and its data (decoded from the JSON string it travels as). */
    record Frame(String event, String channel, JsonNode data) {
    }

    private final BlockingQueue<String> raw = new LinkedBlockingQueue<>();
    private final PubSubCommands.RedisSubscriber subscriber;

    Bus(RedisDataSource redis, String keyPrefix, String appId, String channel) {
        this.subscriber = redis.pubsub(String.class).subscribe(new PresenceSchema(keyPrefix).busChannel(appId, channel), raw::add);
    }

    /** The next frame within 5 s, or an assertion error. */
    Frame next() throws Exception {
        String message = raw.poll(5, TimeUnit.SECONDS);
        if (message == null) {
            throw new AssertionError("no frame published within 5 s");
        }
        int newline = message.indexOf('\n');
        if (newline != 0) {
            throw new AssertionError("a bus message starts with the socket id to skip (none here) and a newline: " + message);
        }
        JsonNode frame = JSON.readTree(message.substring(1));
        if (!frame.get("data").isTextual()) {
            throw new AssertionError("data must travel as a JSON string: " + frame);
        }
        return new Frame(frame.get("event").asText(), frame.get("channel").asText(), JSON.readTree(frame.get("data").asText()));
    }

    /** Frames that arrive within the given time (expected to be none in "nothing published" checks). */
    List<String> drain(long millis) throws InterruptedException {
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
