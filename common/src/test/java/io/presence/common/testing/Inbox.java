package io.presence.common.testing;

import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A test's subscription to one Redis pub/sub channel, read in arrival order. A test never waits for silence: it reads
 * what it expects with a generous ceiling, and checks that nothing else came by sending a marker down the same ordered
 * path after the call that must not publish, then reading up to that marker ({@link #until}).
 */
public final class Inbox implements AutoCloseable {

    /** How long anything expected may take: far beyond any normal delay, so only a real failure reaches it. */
    public static final Duration CEILING = Duration.ofSeconds(30);

    private final BlockingQueue<String> payloads = new LinkedBlockingQueue<>();
    private final RedisConnection connection;

    private Inbox(RedisConnection connection) {
        this.connection = connection;
    }

    /** Subscribes a connection of {@code client} to {@code channel}; returns once Redis has confirmed the subscription. */
    public static Inbox subscribe(Redis client, String channel) {
        RedisConnection connection = client.connect().await().atMost(CEILING);
        Inbox inbox = new Inbox(connection);
        connection.handler(inbox::onPush);
        connection.send(Request.cmd(Command.SUBSCRIBE).arg(channel)).await().atMost(CEILING);
        return inbox;
    }

    /** A marker text no event ever contains. */
    public static String newMarker() {
        return "test-marker-" + UUID.randomUUID();
    }

    private void onPush(Response push) {
        if (push != null && push.size() >= 3 && "message".equals(push.get(0).toString())) {
            payloads.add(push.get(2).toString());
        }
    }

    /** The next payload within {@link #CEILING}, or an assertion error. */
    public String next() {
        String payload = pollWithin(CEILING.toMillis());
        if (payload == null) {
            throw new AssertionError("nothing arrived within " + CEILING.toSeconds() + " s");
        }
        return payload;
    }

    /** Every payload that arrived before the one containing {@code marker}; that one is consumed too. */
    public List<String> until(String marker) {
        List<String> before = new ArrayList<>();
        for (String payload = next(); !payload.contains(marker); payload = next()) {
            before.add(payload);
        }
        return before;
    }

    /** The next payload within the given time, or null (callers other than {@link #next} are on their way out). */
    String pollWithin(long millis) {
        try {
            return payloads.poll(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a payload", e);
        }
    }

    @Override
    public void close() {
        connection.close().await().atMost(CEILING);
    }
}
