package io.presence.gateway.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.presence.common.presence.PresenceDiff.Viewer;
import io.presence.common.pusher.Channels;
import io.presence.common.redis.RedisCalls;
import io.presence.common.redis.RedisHashes;
import io.presence.common.store.PresenceSchema;
import io.presence.common.store.PresenceStoreConfig;
import io.presence.gateway.console.ConsoleViews.LogEntry;
import io.presence.gateway.hub.Frame;
import io.presence.gateway.hub.Hub;
import io.presence.gateway.hub.LocalChannel;
import io.presence.gateway.hub.Recipient;
import io.presence.gateway.protocol.Frames;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * A channel's live log, as Pusher's Debug Console shows it: every frame the channel's subscribers get (API triggers,
 * client events, member_added / member_removed, subscription counts) as the world sees them, and every webhook
 * queued for the channel. The log listens like a quiet subscriber of the channel on this gateway (it is not counted
 * in occupancy and gets no cached event) and reads new entries of the console's copy of queued webhooks once a second.
 * Its first entry, a heartbeat, says that it listens: every frame the channel sends from then on is in the log.
 *
 * <p>On private and presence channels (private-*, private-encrypted-*, presence-*: their subscribers are authorized,
 * so what they send each other is private) the payloads of app events (API triggers, client events, and the data of
 * client_event webhooks) are withheld, {@code hidden}, unless the operator opens the log with {@code reveal}; the
 * resource logs who did. Membership and subscription count events are shown as they are.
 */
@ApplicationScoped
public class ChannelLog {

    private static final Logger LOG = Logger.getLogger(ChannelLog.class);
    private static final Duration WEBHOOK_POLL = Duration.ofSeconds(1);
    /** A heartbeat entry keeps proxies from closing a quiet stream and finds a closed one. */
    private static final Duration HEARTBEAT = Duration.ofSeconds(15);

    private final Hub hub;
    private final Redis redis;
    private final PresenceSchema schema;
    private final ObjectMapper json;
    private final Vertx vertx;

    public ChannelLog(Hub hub, Redis redis, PresenceStoreConfig store, Frames frames, Vertx vertx) {
        this.hub = hub;
        this.redis = redis;
        this.schema = store.schema();
        this.json = frames.json();
        this.vertx = vertx;
    }

    /** Whether the log withholds app event payloads of this channel unless asked to reveal them. */
    public static boolean hidesPayloads(String channel) {
        return Channels.isPrivate(channel) || Channels.isPresence(channel);
    }

    /** The channel's log from now on, until the caller cancels; {@code reveal} shows private payloads too. */
    public Multi<LogEntry> follow(String appId, String channel, boolean reveal) {
        boolean hide = !reveal && hidesPayloads(channel);
        return Multi.createFrom().emitter(emitter -> {
            Tap tap = new Tap(emitter, hide);
            LocalChannel local = hub.subscribe(appId, channel, tap);
            local.admit(tap, Viewer.WORLD, 0, null, true);
            String[] lastId = {System.currentTimeMillis() + "-0"};
            AtomicBoolean polling = new AtomicBoolean();
            long poll = vertx.setPeriodic(WEBHOOK_POLL.toMillis(), id -> pollWebhooks(appId, channel, hide, lastId, polling, emitter));
            long beat = vertx.setPeriodic(HEARTBEAT.toMillis(), id -> tap.beat());
            emitter.onTermination(() -> {
                local.remove(tap);
                vertx.cancelTimer(poll);
                vertx.cancelTimer(beat);
            });
        });
    }

    private void pollWebhooks(String appId, String channel, boolean hide, String[] lastId, AtomicBoolean polling,
                              MultiEmitter<? super LogEntry> emitter) {
        if (!polling.compareAndSet(false, true)) {
            return;
        }
        RedisCalls.send(redis, Command.XRANGE, schema.consoleWebhooks(), "(" + lastId[0], "+", "COUNT", "200")
                .subscribe().with(entries -> {
                    polling.set(false);
                    if (entries == null) {
                        return;
                    }
                    for (Response entry : entries) {
                        lastId[0] = entry.get(0).toString();
                        webhookEntry(appId, channel, hide, fields(entry.get(1)), emitter);
                    }
                }, err -> {
                    polling.set(false);
                    LOG.debugf("reading webhooks for the console failed: %s", err.toString());
                });
    }

    private static Map<String, String> fields(Response fields) {
        Map<String, String> byName = new HashMap<>();
        if (fields != null) {
            RedisHashes.forEach(fields, byName::put);
        }
        return byName;
    }

    private void webhookEntry(String appId, String channel, boolean hide, Map<String, String> fields,
                              MultiEmitter<? super LogEntry> emitter) {
        if (!appId.equals(fields.get("app")) || fields.get("event") == null) {
            return;
        }
        try {
            JsonNode event = json.readTree(fields.get("event"));
            if (!channel.equals(event.path("channel").asText())) {
                return;
            }
            long at = Long.parseLong(fields.getOrDefault("at", "0"));
            boolean hidden = hide && event.has("data");
            if (hidden) {
                ((ObjectNode) event).remove("data"); // a client_event's payload
            }
            emitter.emit(new LogEntry(at, "webhook", event.path("name").asText(), event.toString(),
                    event.hasNonNull("user_id") ? event.get("user_id").asText() : null, hidden));
        } catch (Exception e) {
            LOG.debugf("console log skipped a webhook it could not read: %s", e.toString());
        }
    }

    /** The log's place among the channel's subscribers. */
    private final class Tap implements Recipient {
        private final MultiEmitter<? super LogEntry> emitter;
        private final boolean hide;
        private volatile boolean live;

        Tap(MultiEmitter<? super LogEntry> emitter, boolean hide) {
            this.emitter = emitter;
            this.hide = hide;
        }

        @Override
        public String socketId() {
            return "console";
        }

        /** The first heartbeat, at once: from here on every frame of the channel is in the log. */
        @Override
        public void admitted(LocalChannel channel, long position) {
            live = true;
            beat();
        }

        /** A heartbeat entry, once the log is live (so that the first one means it is). */
        void beat() {
            if (live) {
                emitter.emit(new LogEntry(System.currentTimeMillis(), "heartbeat", null, null, null, false));
            }
        }

        @Override
        public void send(Frame frame) {
            try {
                JsonNode node = json.readTree(frame.text());
                JsonNode data = node.get("data");
                String event = node.path("event").asText();
                // pusher_internal: membership and subscription counts; anything else is the app's own payload
                boolean hidden = hide && data != null && !event.startsWith("pusher_internal:") && !event.startsWith("pusher:");
                emitter.emit(new LogEntry(System.currentTimeMillis(), "event", event,
                        data == null || hidden ? null : data.isTextual() ? data.asText() : data.toString(),
                        node.hasNonNull("user_id") ? node.get("user_id").asText() : null, hidden));
            } catch (Exception e) {
                LOG.debugf("console log skipped a frame it could not read: %s", e.toString());
            }
        }
    }
}
