package io.presence.common.redis;

import io.presence.common.event.EventPublisher;
import io.presence.common.event.EventsConfig;
import io.presence.common.presence.UserPresenceStore;
import io.presence.common.presence.WatchlistEvents;
import java.time.Clock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.presence.common.presence.PresenceStoreConfig;
import io.presence.common.pusher.PusherConfig;
import io.presence.common.webhook.WebhookQueue;
import io.presence.common.webhook.WebhooksConfig;
import io.presence.infra.InfraTestResource;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Redis clients and configuration for common's tests, outside Quarkus: the discovered Redis, or a given cluster. */
public final class TestRedis implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final Vertx vertx = Vertx.vertx();
    private final Redis redis;
    private final String prefix = "common-test-" + UUID.randomUUID();
    private final String pubSubUrl;

    private TestRedis(RedisOptions options, String pubSubUrl) {
        options.setMaxPoolSize(16).setMaxPoolWaiting(10_000);
        this.redis = Redis.createClient(vertx, options);
        this.pubSubUrl = pubSubUrl;
    }

    /** The Redis the tests of every module use (found, or embedded). */
    public static TestRedis standalone() {
        try {
            String url = InfraTestResource.infrastructure().redis().url();
            return new TestRedis(new RedisOptions().setConnectionString(url), url);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A single Redis given by its URL. */
    public static TestRedis at(String url) {
        return new TestRedis(new RedisOptions().setConnectionString(url), url);
    }

    /** A Redis Cluster given by its nodes' URLs. */
    public static TestRedis cluster(List<String> urls) {
        RedisOptions options = new RedisOptions().setType(RedisClientType.CLUSTER);
        urls.forEach(options::addConnectionString);
        return new TestRedis(options, urls.get(0));
    }

    public Redis redis() {
        return redis;
    }

    /** A key prefix of this test alone. */
    public String prefix() {
        return prefix;
    }

    public PresenceStoreConfig storeConfig() {
        return config(Map.of()).getConfigMapping(PresenceStoreConfig.class);
    }

    public EventsConfig eventsConfig(Map<String, String> overrides) {
        return config(overrides).getConfigMapping(EventsConfig.class);
    }

    /** The app the tests use ("app"), with a webhook receiver configured so that every kind of webhook is queued. */
    public PusherConfig pusherConfig() {
        return config(Map.of("pusher.app-id", "app", "pusher.webhook-urls", "http://127.0.0.1:9/hooks")).getConfigMapping(PusherConfig.class);
    }

    public WebhooksConfig webhooksConfig() {
        return config(Map.of()).getConfigMapping(WebhooksConfig.class);
    }

    /** The webhook queue of this test's prefix. */
    public WebhookQueue webhookQueue() {
        return new WebhookQueue(redis, storeConfig(), pusherConfig(), eventsConfig(Map.of()), webhooksConfig(), new SimpleMeterRegistry());
    }

    /** An event publisher on this test's prefix. */
    public EventPublisher eventPublisher() {
        return new EventPublisher(redis, storeConfig(), eventsConfig(Map.of()), new SimpleMeterRegistry());
    }

    /** The user store of this test's prefix (watchlist transitions published with {@link #eventPublisher()}). */
    public UserPresenceStore userStore() {
        return new UserPresenceStore(redis, storeConfig().schema(), Clock.systemUTC(), new WatchlistEvents(eventPublisher()));
    }

    /** The queued webhooks about one channel, as "name user" (user empty for channel webhooks), in order. */
    public java.util.List<String> webhooksOf(String channel) {
        java.util.List<String> found = new java.util.ArrayList<>();
        for (Response entry : call(Command.XRANGE, storeConfig().schema().webhooks(), "-", "+")) {
            Map<String, String> fields = new java.util.HashMap<>();
            RedisHashes.forEach(entry.get(1), fields::put);
            try {
                com.fasterxml.jackson.databind.JsonNode event = new com.fasterxml.jackson.databind.ObjectMapper().readTree(fields.get("event"));
                if (event.path("channel").asText().equals(channel)) {
                    found.add((event.path("name").asText() + " " + event.path("user_id").asText("")).trim());
                }
            } catch (java.io.IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return found;
    }

    private SmallRyeConfig config(Map<String, String> overrides) {
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder()
                .withMapping(PresenceStoreConfig.class).withMapping(EventsConfig.class).withMapping(PusherConfig.class)
                .withMapping(WebhooksConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withDefaultValue("presence.store.key-prefix", prefix);
        overrides.forEach(builder::withDefaultValue);
        return builder.build();
    }

    /** Runs a command and waits for its answer. */
    public Response call(Command command, String... args) {
        return RedisCalls.send(redis, command, args).await().atMost(WAIT);
    }

    /** Listens on pub/sub channels (on one node; PUBLISH reaches every node of a cluster). */
    public Listener listen(String... channels) {
        Redis single = Redis.createClient(vertx, new RedisOptions().setConnectionString(pubSubUrl));
        RedisConnection connection = single.connect().await().atMost(WAIT);
        Listener listener = new Listener(connection);
        connection.handler(listener::onPush);
        Request subscribe = Request.cmd(Command.SUBSCRIBE);
        for (String c : channels) {
            subscribe.arg(c);
        }
        connection.send(subscribe).await().atMost(WAIT);
        return listener;
    }

    /** Payloads published on the channels a listener subscribed to. */
    public static final class Listener implements AutoCloseable {
        private final RedisConnection connection;
        private final BlockingQueue<String> payloads = new LinkedBlockingQueue<>();

        Listener(RedisConnection connection) {
            this.connection = connection;
        }

        void onPush(Response push) {
            if (push != null && push.size() >= 3 && "message".equals(push.get(0).toString())) {
                payloads.add(push.get(2).toString());
            }
        }

        /** The next payload within 5 s, or an assertion error. */
        public String next() throws InterruptedException {
            String payload = payloads.poll(5, TimeUnit.SECONDS);
            if (payload == null) {
                throw new AssertionError("nothing published within 5 s");
            }
            return payload;
        }

        /** Asserts nothing more arrives within the given time. */
        public void expectNothing(long millis) throws InterruptedException {
            String payload = payloads.poll(millis, TimeUnit.MILLISECONDS);
            if (payload != null) {
                throw new AssertionError("unexpected: " + payload);
            }
        }

        @Override
        public void close() {
            connection.close().await().atMost(WAIT);
        }
    }

    @Override
    public void close() {
        redis.close();
        vertx.closeAndAwait();
    }
}
