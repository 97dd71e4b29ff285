package io.presence.presence.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.presence.common.presence.PresenceSchema;
import io.presence.common.presence.PresenceStoreConfig;
import io.presence.common.pusher.Webhooks;
import io.presence.common.redis.RedisCalls;
import io.presence.common.redis.RedisHashes;
import io.presence.common.webhook.Webhook;
import io.presence.common.webhook.WebhooksConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Sends the webhooks waiting in the queue ({@link PresenceSchema#webhooks()}). One presence-service replica sends at a
 * time: it holds a short lease in Redis and renews it; when it dies another takes over and, reading the queue's
 * consumer group from the start of what is pending, resends whatever was not acknowledged. An entry is
 * acknowledged (and deleted) once every receiver has it or gave up on it, so a restart loses nothing.
 *
 * <p>member_removed and channel_vacated wait the grace period: a member_added of the same user (channel_occupied of
 * the same channel) within it cancels both, so a page reload tells the receivers nothing. A webhook queued twice (a
 * retried enqueue) is sent once.
 */
@ApplicationScoped
public class WebhookSender {

    private static final Logger LOG = Logger.getLogger(WebhookSender.class);
    private static final String GROUP = "senders";
    /** One consumer name for every replica: a new sender reads what the previous one left pending. */
    private static final String CONSUMER = "sender";
    private static final long LEASE_MILLIS = 10_000;
    private static final long RENEW_MILLIS = 3_000;
    private static final int READ_COUNT = 200;
    private static final int SEEN_LIMIT = 100_000;
    private static final String RENEW = "if redis.call('GET', KEYS[1]) == ARGV[1] then "
            + "return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end";

    private final Redis redis;
    private final Vertx vertx;
    private final WebhookDelivery delivery;
    private final WebhooksConfig settings;
    private final ObjectMapper json;
    private final String stream;
    private final String leaseKey;
    private final String me = "presence-service-" + UUID.randomUUID();
    /** Held member_removed / channel_vacated, by app, channel and user: waiting out the grace period. */
    private final Map<String, Held> held = new HashMap<>();
    /** Recent webhook ids, so a copy is sent once. */
    private final Map<String, Boolean> seen = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > SEEN_LIMIT;
        }
    };
    private volatile boolean leader;
    private volatile boolean stopped;
    private long renewTimer = -1;

    private record Held(String entryId, Webhook webhook, long timer) {
    }

    public WebhookSender(Redis redis, Vertx vertx, WebhookDelivery delivery,
                         WebhooksConfig settings, ObjectMapper json, PresenceStoreConfig store, MeterRegistry metrics) {
        this.redis = redis;
        this.vertx = vertx;
        this.delivery = delivery;
        this.settings = settings;
        this.json = json;
        this.stream = store.schema().webhooks();
        this.leaseKey = store.schema().webhookSender();
        metrics.gauge("webhooks.waiting", this, WebhookSender::waiting);
    }

    void start(@Observes StartupEvent event) {
        renewTimer = vertx.setPeriodic(RENEW_MILLIS, id -> lease());
        lease();
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        vertx.cancelTimer(renewTimer);
        if (leader) {
            // let another replica take over at once
            RedisCalls.send(redis, Command.EVAL, "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) "
                    + "else return 0 end", "1", leaseKey, me).subscribe().with(ok -> { }, err -> { });
        }
    }

    /** True while this replica sends the webhooks. */
    public boolean leader() {
        return leader;
    }

    /** Webhooks this replica holds or is sending. */
    public synchronized int waiting() {
        return held.size() + delivery.waiting();
    }

    private void lease() {
        if (stopped) {
            return;
        }
        Uni<Boolean> mine = leader
                ? RedisCalls.send(redis, Command.EVAL, RENEW, "1", leaseKey, me, Long.toString(LEASE_MILLIS)).map(r -> r.toLong() == 1)
                : RedisCalls.send(redis, Command.SET, leaseKey, me, "NX", "PX", Long.toString(LEASE_MILLIS)).map(r -> r != null);
        mine.subscribe().with(ok -> {
            if (ok && !leader) {
                LOG.infof("%s sends the webhooks", me);
                leader = true;
                startReading();
            } else if (!ok && leader) {
                LOG.warnf("%s lost the webhook lease; another replica sends them", me);
                leader = false;
            }
        }, err -> LOG.debugf("webhook lease not renewed: %s", err.toString()));
    }

    private void startReading() {
        RedisCalls.send(redis, Command.XGROUP, "CREATE", stream, GROUP, "0", "MKSTREAM")
                .onFailure(err -> String.valueOf(err.getMessage()).startsWith("BUSYGROUP")).recoverWithNull()
                .subscribe().with(ok -> read("0-0"), err -> {
                    LOG.warnf("cannot read the webhook queue (%s); retrying", err.toString());
                    leader = false;
                });
    }

    /**
     * Reads entries: first those left pending by an earlier sender, after {@code from} (an entry id), until none are
     * left, then new ones ({@code >}), waiting up to a second for them (on a pooled connection, which is cluster-aware).
     */
    private void read(String from) {
        if (!leader || stopped) {
            return;
        }
        Request request = Request.cmd(Command.XREADGROUP).arg("GROUP").arg(GROUP).arg(CONSUMER).arg("COUNT").arg(READ_COUNT);
        if (from.equals(">")) {
            request.arg("BLOCK").arg(1000);
        }
        request.arg("STREAMS").arg(stream).arg(from);
        redis.send(request).subscribe().with(reply -> {
            String last = handle(reply);
            read(from.equals(">") || last == null ? ">" : last);
        }, err -> {
            LOG.warnf("reading the webhook queue failed (%s); again in a second", err.toString());
            vertx.setTimer(1000, id -> read(from));
        });
    }

    /** Handles one XREADGROUP answer; the id of its last entry, or null when it had none. */
    private String handle(Response reply) {
        Response entries = entriesOf(reply);
        if (entries == null || entries.size() == 0) {
            return null;
        }
        String last = null;
        for (Response entry : entries) {
            String entryId = entry.get(0).toString();
            last = entryId;
            Response fields = entry.get(1);
            if (fields == null || fields.size() == 0) {
                ack(entryId); // deleted meanwhile
                continue;
            }
            Map<String, String> values = new HashMap<>();
            RedisHashes.forEach(fields, values::put);
            try {
                accept(entryId, new Webhook(values.get("id"), values.get("app"), (ObjectNode) json.readTree(values.get("event")),
                        Long.parseLong(values.get("at"))));
            } catch (Exception e) {
                LOG.warnf("dropping malformed webhook entry %s: %s", entryId, e.toString());
                ack(entryId);
            }
        }
        return last;
    }

    /** The entries of the one stream read: RESP3 answers a map stream -> entries, RESP2 a list of [stream, entries]. */
    private Response entriesOf(Response reply) {
        if (reply == null || reply.size() == 0) {
            return null;
        }
        try {
            if (reply.getKeys() != null && reply.getKeys().contains(stream)) {
                return reply.get(stream);
            }
        } catch (RuntimeException notAMap) {
            // RESP2
        }
        return reply.get(0).get(1);
    }

    private synchronized void accept(String entryId, Webhook webhook) {
        if (seen.put(webhook.id(), Boolean.TRUE) != null) {
            ack(entryId);
            return;
        }
        String name = webhook.name();
        if (name.equals(Webhooks.MEMBER_REMOVED) || name.equals(Webhooks.CHANNEL_VACATED)) {
            String key = pairKey(webhook);
            Held previous = held.remove(key);
            if (previous != null) {
                vertx.cancelTimer(previous.timer());
                send(previous.entryId(), previous.webhook());
            }
            long timer = vertx.setTimer(Math.max(1, settings.grace().toMillis()), id -> graceOver(key, entryId));
            held.put(key, new Held(entryId, webhook, timer));
            return;
        }
        if (name.equals(Webhooks.MEMBER_ADDED) || name.equals(Webhooks.CHANNEL_OCCUPIED)) {
            Held undone = held.remove(pairKey(webhook));
            if (undone != null) {
                // back within the grace period: neither the departure nor the return is news
                vertx.cancelTimer(undone.timer());
                ack(undone.entryId());
                ack(entryId);
                return;
            }
        }
        send(entryId, webhook);
    }

    private synchronized void graceOver(String key, String entryId) {
        Held due = held.get(key);
        if (due != null && due.entryId().equals(entryId)) {
            held.remove(key);
            send(due.entryId(), due.webhook());
        }
    }

    private void send(String entryId, Webhook webhook) {
        delivery.deliver(webhook, () -> ack(entryId));
    }

    private void ack(String entryId) {
        RedisCalls.send(redis, Command.XACK, stream, GROUP, entryId)
                .chain(() -> RedisCalls.send(redis, Command.XDEL, stream, entryId))
                .subscribe().with(ok -> { }, err -> LOG.debugf("acknowledging webhook %s failed: %s", entryId, err.toString()));
    }

    /** What pairs a departure with a return: the app, the channel, and for members the user. */
    private static String pairKey(Webhook webhook) {
        return webhook.appId() + "\u0000" + webhook.channel() + "\u0000" + webhook.userId();
    }
}
