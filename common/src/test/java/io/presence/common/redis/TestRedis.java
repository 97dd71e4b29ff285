package io.presence.common.redis;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.presence.common.app.AppRegistry;
import io.presence.common.app.AppsConfig;
import io.presence.common.event.EventPublisher;
import io.presence.common.event.EventsConfig;
import io.presence.common.presence.UserPresenceStore;
import io.presence.common.presence.WatchlistEvents;
import io.presence.common.pusher.PusherConfig;
import io.presence.common.store.PresenceStoreConfig;
import io.presence.common.testing.Inbox;
import io.presence.common.webhook.WebhookQueue;
import io.presence.common.webhook.WebhooksConfig;
import io.presence.infra.InfraTestResource;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Redis clients and configuration for common's tests, outside Quarkus: the discovered Redis, or a given cluster. */
public final class TestRedis implements AutoCloseable {

    /** What the tests' channels keep: the deployment defaults' 5,000 events, for at least two minutes. */
    public static final io.presence.common.event.StreamRetention RETENTION =
            io.presence.common.event.StreamRetention.fixed(5000, Duration.ofMinutes(2));

    private static final Duration WAIT = Inbox.CEILING;
    /** Publishes ARGV[1] on the pub/sub channel KEYS[1], run on the node of that name's slot (see {@link Listener#nextUntilMarker}). */
    private static final String PUBLISH_MARKER = "return redis.call('PUBLISH', KEYS[1], ARGV[1])";

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

    /** Budgets configured by {@code overrides} ({@code budgets.<name>.limit}, {@code budgets.<name>.per}). */
    public io.presence.common.budget.Budgets budgets(Map<String, String> overrides, io.micrometer.core.instrument.MeterRegistry metrics) {
        SmallRyeConfig config = config(overrides);
        return new io.presence.common.budget.Budgets(redis, config.getConfigMapping(PresenceStoreConfig.class),
                config.getConfigMapping(io.presence.common.budget.BudgetsConfig.class), metrics);
    }

    public EventsConfig eventsConfig(Map<String, String> overrides) {
        return config(overrides).getConfigMapping(EventsConfig.class);
    }

    /** The app the tests use ("app"), with a webhook receiver configured so that every kind of webhook is queued. */
    public PusherConfig pusherConfig() {
        return config(Map.of("pusher.app-id", "app", "pusher.webhook-urls", "http://127.0.0.1:9/hooks")).getConfigMapping(PusherConfig.class);
    }

    /** The apps of {@link #pusherConfig()} as every service sees them before the app store is published. */
    public AppRegistry appRegistry() {
        return new AppRegistry(redis, storeConfig(), config(Map.of()).getConfigMapping(AppsConfig.class), pusherConfig());
    }

    public WebhooksConfig webhooksConfig() {
        return config(Map.of()).getConfigMapping(WebhooksConfig.class);
    }

    /** The webhook queue of this test's prefix. */
    public WebhookQueue webhookQueue() {
        return new WebhookQueue(redis, storeConfig(), appRegistry(), eventsConfig(Map.of()), webhooksConfig(), new SimpleMeterRegistry());
    }

    /** An event publisher on this test's prefix. */
    public EventPublisher eventPublisher() {
        return new EventPublisher(redis, storeConfig(), eventsConfig(Map.of()), io.presence.common.redis.TestRedis.RETENTION, new SimpleMeterRegistry());
    }

    /** The user store of this test's prefix (watchlist transitions published with a new {@link #eventPublisher()}). */
    public UserPresenceStore userStore() {
        return userStore(eventPublisher());
    }

    /** The user store of this test's prefix, publishing watchlist transitions with {@code events}. */
    public UserPresenceStore userStore(EventPublisher events) {
        return new UserPresenceStore(redis, storeConfig().schema(), Clock.systemUTC(), new WatchlistEvents(events));
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
                .withMapping(WebhooksConfig.class).withMapping(AppsConfig.class)
                .withMapping(io.presence.common.budget.BudgetsConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withDefaultValue("presence.store.key-prefix", prefix);
        overrides.forEach(builder::withDefaultValue);
        return builder.build();
    }

    /** Runs a command and waits for its answer. */
    public Response call(Command command, String... args) {
        return RedisCalls.send(redis, command, args).await().atMost(WAIT);
    }

    /** Listens on a pub/sub channel (on one node; PUBLISH reaches every node of a cluster). */
    public Listener listen(String channel) {
        Redis single = Redis.createClient(vertx, new RedisOptions().setConnectionString(pubSubUrl));
        return new Listener(this, channel, single, Inbox.subscribe(single, channel));
    }

    /** The payloads published on one channel, read in order; "nothing else" is checked against a marker, never a clock. */
    public static final class Listener implements AutoCloseable {
        private final TestRedis redis;
        private final String channel;
        private final Redis client;
        private final Inbox inbox;

        Listener(TestRedis redis, String channel, Redis client, Inbox inbox) {
            this.redis = redis;
            this.channel = channel;
            this.client = client;
            this.inbox = inbox;
        }

        /** The next payload within {@link Inbox#CEILING}, or an assertion error. */
        public String next() {
            return inbox.next();
        }

        /**
         * Publishes a marker on the channel and answers every payload that arrived before it. The marker is published
         * by a script keyed on the channel's name, so it runs on the node of the channel's slot, where every script
         * that publishes on the channel runs: it comes after everything Redis published there before this call.
         */
        public List<String> nextUntilMarker() {
            String marker = Inbox.newMarker();
            redis.call(Command.EVAL, PUBLISH_MARKER, "1", channel, marker);
            return nextUntil(marker);
        }

        /** Every payload before the one containing {@code marker}, which the test published on the checked events' own path. */
        public List<String> nextUntil(String marker) {
            return inbox.until(marker);
        }

        /** Asserts that nothing was published on the channel between the last payload read and now. */
        public void expectNothing() {
            List<String> unexpected = nextUntilMarker();
            if (!unexpected.isEmpty()) {
                throw new AssertionError("unexpected: " + unexpected);
            }
        }

        @Override
        public void close() {
            inbox.close();
            client.close();
        }
    }

    @Override
    public void close() {
        redis.close();
        vertx.closeAndAwait();
    }
}
