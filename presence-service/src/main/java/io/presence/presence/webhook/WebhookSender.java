package io.presence.presence.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.presence.common.pusher.Webhooks;
import io.presence.common.redis.RedisCalls;
import io.presence.common.redis.RedisHashes;
import io.presence.common.store.PresenceSchema;
import io.presence.common.store.PresenceStoreConfig;
import io.presence.common.webhook.Webhook;
import io.presence.common.webhook.WebhookQueue;
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
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Sends the webhooks waiting in the queue ({@link PresenceSchema#webhooks()}). One presence-service replica sends at a
 * time: it holds a short lease in Redis and renews it; when it dies another takes over and, reading the queue's
 * consumer group from the start of what is pending, resends whatever was not acknowledged. An entry is
 * acknowledged (and deleted) once every receiver has it or gave up on it, so a restart loses nothing.
 *
 * <p>member_removed and channel_vacated wait the grace period: a member_added of the same user (channel_occupied of
 * the same channel) within it cancels both, so a page reload tells the receivers nothing. "Within it" is measured on
 * the Redis server's clock, between the two transitions as the scripts decided them ({@link Webhook.Transition}), and
 * the arrival names the departure it ends, so the pair is found whatever order the two webhooks were queued in: a
 * departure and a return decided on two gateways are queued by two processes, and the return can come first. Such an
 * early return waits (unacknowledged) for its departure and both are dropped together; a departure that never comes
 * (its gateway died before queueing it) is no news either. A webhook queued twice (a retried enqueue) is sent once.
 *
 * <p>Back-pressure: the sender holds at most {@link WebhooksConfig#maxInHand()} entries (read and not yet finished:
 * held, waiting for their departure, or with {@link WebhookDelivery}); each read asks for no more than there is room
 * for, and with no room the reading pauses until an entry finishes. What it does not read waits in Redis, where the
 * queue is bounded too ({@link WebhooksConfig#queueLength()}).
 */
@ApplicationScoped
public class WebhookSender {

    private static final Logger LOG = Logger.getLogger(WebhookSender.class);
    private static final String GROUP = WebhookQueue.GROUP;
    /** One consumer name for every replica: a new sender reads what the previous one left pending. */
    private static final String CONSUMER = "sender";
    private static final long LEASE_MILLIS = 10_000;
    private static final long RENEW_MILLIS = 3_000;
    private static final int READ_COUNT = 200;
    /** Longest wait for one read of the queue (it blocks up to a second) before it is given up and made again. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);
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
    /** Returns that came before the departure they end, by pair and departure time: waiting for it. */
    private final Map<String, Early> early = new HashMap<>();
    /** Recent webhook ids, so a copy is sent once. */
    private final Map<String, Boolean> seen = recent();
    /** Queue entries this replica holds or is sending (until acknowledged): a second read of one is ignored. */
    private final Set<String> handling = ConcurrentHashMap.newKeySet();
    /** Departures sent after their grace period, by pair and time: a late return that names one is news. */
    private final Map<String, Boolean> departed = recent();
    /** Departures a return within the grace period cancelled before they were queued, by pair and time: dropped when they come. */
    private final Map<String, Boolean> cancelled = recent();
    private volatile boolean leader;
    private volatile boolean stopped;
    /** Where reading stopped for want of room ({@code >} or a pending entry id); null while reading. */
    private String pausedAt;
    private long renewTimer = -1;

    private record Held(String entryId, Webhook webhook, long timer) {
    }

    private record Early(String entryId, long timer) {
    }

    /** A bounded map of the latest keys. */
    private static Map<String, Boolean> recent() {
        return new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > SEEN_LIMIT;
            }
        };
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
        metrics.gauge("webhooks.in.hand", this, WebhookSender::inHand);
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
        return held.size() + early.size() + delivery.waiting();
    }

    /** Queue entries this replica holds (read and not yet finished); never more than {@link WebhooksConfig#maxInHand()}. */
    public int inHand() {
        return handling.size();
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
        synchronized (this) {
            pausedAt = null; // a pause of an earlier lease: this read starts over
        }
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
        int room;
        synchronized (this) {
            room = settings.maxInHand() - handling.size();
            if (room <= 0) {
                pausedAt = from; // an entry that finishes reads on (finished)
                return;
            }
        }
        Request request = Request.cmd(Command.XREADGROUP).arg("GROUP").arg(GROUP).arg(CONSUMER).arg("COUNT")
                .arg(Math.min(READ_COUNT, room));
        if (from.equals(">")) {
            request.arg("BLOCK").arg(1000);
        }
        request.arg("STREAMS").arg(stream).arg(from);
        // a request lost with its connection (Redis cut away and back) would otherwise hold the loop for good
        redis.send(request).ifNoItem().after(READ_TIMEOUT).fail().subscribe().with(reply -> {
            String last = handle(reply);
            read(from.equals(">") || last == null ? ">" : last);
        }, err -> {
            LOG.warnf("reading the webhook queue failed (%s); again in a second", err.toString());
            if (String.valueOf(err.getMessage()).startsWith("NOGROUP")) {
                // Redis lost the queue (restarted empty): make the group again, then read from its start
                vertx.setTimer(1000, id -> startReading());
            } else {
                // what a lost read took is pending for this consumer: read the pending entries again first
                vertx.setTimer(1000, id -> read("0-0"));
            }
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
                if (!handling.contains(entryId)) {
                    ack(entryId); // dropped from the full queue before it was in hand
                }
                continue; // else dropped from the full queue while in hand: it is still delivered from memory
            }
            Map<String, String> values = new HashMap<>();
            RedisHashes.forEach(fields, values::put);
            try {
                accept(entryId, new Webhook(values.get("id"), values.get("app"), (ObjectNode) json.readTree(values.get("event")),
                        Long.parseLong(values.get("at")), new Webhook.Transition(longOr0(values.get("decided")), longOr0(values.get("follows")))));
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
        if (!handling.add(entryId)) {
            return; // read again (after a read that got no answer): already in hand
        }
        if (seen.put(webhook.id(), Boolean.TRUE) != null) {
            ack(entryId);
            return;
        }
        String name = webhook.name();
        if (name.equals(Webhooks.MEMBER_REMOVED) || name.equals(Webhooks.CHANNEL_VACATED)) {
            depart(entryId, webhook);
        } else if (name.equals(Webhooks.MEMBER_ADDED) || name.equals(Webhooks.CHANNEL_OCCUPIED)) {
            arrive(entryId, webhook);
        } else {
            send(entryId, webhook);
        }
    }

    /** A departure: dropped when its return came first, else held through the grace period. */
    private void depart(String entryId, Webhook webhook) {
        String pair = pairKey(webhook);
        String decided = pair + "\u0000" + webhook.transition().at();
        Early returned = early.remove(decided);
        if (returned != null) {
            // the return was queued first and is waiting: neither is news
            vertx.cancelTimer(returned.timer());
            ack(returned.entryId());
            ack(entryId);
            return;
        }
        if (cancelled.remove(decided) != null) {
            ack(entryId);
            return;
        }
        Held previous = held.remove(pair);
        if (previous != null) {
            vertx.cancelTimer(previous.timer());
            sendDeparture(pair, previous);
        }
        long timer = vertx.setTimer(Math.max(1, settings.grace().toMillis()), id -> graceOver(pair, entryId));
        held.put(pair, new Held(entryId, webhook, timer));
    }

    /** An arrival: cancels the departure it ends when that was within the grace period, else it is news. */
    private void arrive(String entryId, Webhook webhook) {
        String pair = pairKey(webhook);
        Webhook.Transition transition = webhook.transition();
        // queued by a version that did not record transitions: it ends whatever departure is held, within the grace
        boolean legacy = transition.at() == 0;
        boolean withinGrace = legacy || transition.follows() != 0
                && transition.at() - transition.follows() <= settings.grace().toNanos() / 1000;
        Held undone = held.get(pair);
        if (undone != null && (legacy || undone.webhook().transition().at() == transition.follows())) {
            held.remove(pair);
            if (withinGrace) {
                cancel(undone, entryId);
            } else {
                // back, but after the grace period (its departure was read late here): both are news, in order
                vertx.cancelTimer(undone.timer());
                sendDeparture(pair, undone);
                send(entryId, webhook);
            }
            return;
        }
        String departure = pair + "\u0000" + transition.follows();
        if (legacy || !withinGrace || departed.containsKey(departure)) {
            // nothing held to end, or its departure was told already (this return was queued after the grace ran out)
            send(entryId, webhook);
            return;
        }
        long timer = vertx.setTimer(Math.max(1, settings.reorderWait().toMillis()), id -> departureNeverCame(departure, entryId));
        early.put(departure, new Early(entryId, timer));
    }

    /** Back within the grace period: neither the departure nor the return is news. */
    private void cancel(Held departure, String returnEntryId) {
        vertx.cancelTimer(departure.timer());
        ack(departure.entryId());
        ack(returnEntryId);
    }

    private synchronized void graceOver(String pair, String entryId) {
        Held due = held.get(pair);
        if (due != null && due.entryId().equals(entryId)) {
            held.remove(pair);
            sendDeparture(pair, due);
        }
    }

    private void sendDeparture(String pair, Held departure) {
        departed.put(pair + "\u0000" + departure.webhook().transition().at(), Boolean.TRUE);
        send(departure.entryId(), departure.webhook());
    }

    /**
     * A return waited in vain for its departure (the process that decided it died before queueing it): receivers never
     * heard of the departure, so the return is no news; should the departure still come, it is dropped.
     */
    private synchronized void departureNeverCame(String departure, String entryId) {
        Early waiting = early.get(departure);
        if (waiting != null && waiting.entryId().equals(entryId)) {
            early.remove(departure);
            cancelled.put(departure, Boolean.TRUE);
            ack(entryId);
        }
    }

    private void send(String entryId, Webhook webhook) {
        delivery.deliver(webhook, () -> ack(entryId));
    }

    private void ack(String entryId) {
        RedisCalls.send(redis, Command.XACK, stream, GROUP, entryId)
                .chain(() -> RedisCalls.send(redis, Command.XDEL, stream, entryId))
                .subscribe().with(ok -> { }, err -> LOG.debugf("acknowledging webhook %s failed: %s", entryId, err.toString()));
        finished(entryId);
    }

    /** An entry is off this replica's hands; reading goes on where it paused once there is room for a full read again. */
    private void finished(String entryId) {
        handling.remove(entryId);
        String from;
        synchronized (this) {
            if (pausedAt == null || settings.maxInHand() - handling.size() < Math.min(READ_COUNT, Math.max(1, settings.maxInHand() / 2))) {
                return;
            }
            from = pausedAt;
            pausedAt = null;
        }
        vertx.runOnContext(v -> read(from));
    }

    private static long longOr0(String value) {
        return value == null ? 0 : Long.parseLong(value);
    }

    /** What pairs a departure with a return: the app, the channel, and for members the user. */
    private static String pairKey(Webhook webhook) {
        return webhook.appId() + "\u0000" + webhook.channel() + "\u0000" + webhook.userId();
    }
}
