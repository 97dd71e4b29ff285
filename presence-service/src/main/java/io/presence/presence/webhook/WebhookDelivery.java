package io.presence.presence.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.presence.common.app.App;
import io.presence.common.app.AppRegistry;
import io.presence.common.webhook.Webhook;
import io.presence.common.webhook.WebhooksConfig;
import io.vertx.core.Vertx;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * POSTs webhooks to each receiver of their app, as Pusher does: a body {@code {"time_ms": ..., "events": [...]}}
 * (several events batched), signed with {@code X-Pusher-Key} and {@code X-Pusher-Signature} (hex HMAC-SHA256 of
 * the exact body with the app secret). Each receiver gets its bodies one after another, in order; a body answered
 * with anything but 2xx (or not answered in time) is sent again with exponential backoff until the retry period is
 * over, then dropped and counted.
 */
@ApplicationScoped
@Startup // its meters exist from the start, webhooks configured or not, so dashboards find them
public class WebhookDelivery {

    private static final Logger LOG = Logger.getLogger(WebhookDelivery.class);

    private final AppRegistry apps;
    private final WebhooksConfig settings;
    private final ObjectMapper json;
    private final Vertx vertx;
    private final HttpClient http;
    private final Map<String, Receiver> receivers = new ConcurrentHashMap<>();
    private final Counter delivered;
    private final Counter retried;
    private final Counter failed;

    public WebhookDelivery(AppRegistry apps, WebhooksConfig settings, ObjectMapper json, Vertx vertx, MeterRegistry metrics) {
        this.apps = apps;
        this.settings = settings;
        this.json = json;
        this.vertx = vertx;
        this.http = HttpClient.newBuilder().connectTimeout(settings.requestTimeout()).build();
        this.delivered = Counter.builder("webhooks.delivered").description("Webhook events a receiver answered 2xx for").register(metrics);
        this.retried = Counter.builder("webhooks.retried").description("Webhook bodies sent again after a failure").register(metrics);
        this.failed = Counter.builder("webhooks.failed").description("Webhook events dropped after the retry period").register(metrics);
        Gauge.builder("webhooks.queue.lag", this, d -> d.lagMillis(System.currentTimeMillis()) / 1000.0).baseUnit("seconds")
                .description("Age of the oldest webhook event not yet delivered (0 when none waits)").register(metrics);
    }

    /**
     * Sends a webhook to every receiver of its app that wants its kind; {@code done} runs once each of them has it
     * (or gave up on it), right away when none wants it.
     */
    public void deliver(Webhook webhook, Runnable done) {
        App app = apps.byId(webhook.appId()).filter(App::enabled).orElse(null);
        List<String> urls = app == null ? List.of() : app.webhookUrls(webhook.name());
        if (urls.isEmpty()) {
            done.run();
            return;
        }
        AtomicInteger left = new AtomicInteger(urls.size());
        Runnable one = () -> {
            if (left.decrementAndGet() == 0) {
                done.run();
            }
        };
        for (String url : urls) {
            receivers.computeIfAbsent(app.id() + " " + url, k -> new Receiver(app.id(), url)).add(new Pending(webhook, one));
        }
    }

    /** Webhooks waiting for a receiver, or being sent to it. */
    public int waiting() {
        return receivers.values().stream().mapToInt(Receiver::size).sum();
    }

    /** How long ago the oldest event waiting for a receiver (queued or being sent) happened; 0 when none waits. */
    public long lagMillis(long now) {
        long oldest = receivers.values().stream().mapToLong(Receiver::oldestAtMs).min().orElse(Long.MAX_VALUE);
        return oldest == Long.MAX_VALUE ? 0 : Math.max(0, now - oldest);
    }

    private record Pending(Webhook webhook, Runnable done) {
    }

    /** One receiver's queue: one body in flight at a time, so it gets them in order. */
    private final class Receiver {
        /** The app's id: its key and secret are read at each send, so a rotation signs the next body. */
        final String appId;
        final URI url;
        final ArrayDeque<Pending> queue = new ArrayDeque<>();
        List<Pending> inFlight = List.of();
        boolean sending;
        boolean scheduled;

        Receiver(String appId, String url) {
            this.appId = appId;
            this.url = URI.create(url);
        }

        synchronized int size() {
            return queue.size() + inFlight.size();
        }

        synchronized long oldestAtMs() {
            long oldest = Long.MAX_VALUE;
            for (Pending p : inFlight) {
                oldest = Math.min(oldest, p.webhook().atMs());
            }
            for (Pending p : queue) {
                oldest = Math.min(oldest, p.webhook().atMs());
            }
            return oldest;
        }

        synchronized void add(Pending pending) {
            queue.add(pending);
            if (!sending && !scheduled) {
                scheduled = true;
                // a short wait lets events that happen together share a body
                vertx.setTimer(Math.max(1, settings.batchWait().toMillis()), id -> start());
            }
        }

        private void start() {
            List<Pending> batch = new ArrayList<>();
            synchronized (this) {
                scheduled = false;
                if (sending || queue.isEmpty()) {
                    return;
                }
                while (!queue.isEmpty() && batch.size() < settings.maxBatch()) {
                    batch.add(queue.poll());
                }
                inFlight = batch;
                sending = true;
            }
            send(batch, System.currentTimeMillis(), 0);
        }

        private void send(List<Pending> batch, long firstAttempt, int attempt) {
            App app = apps.byId(appId).orElse(null);
            if (app == null) {
                LOG.infof("dropping %d webhook events for %s: app %s was deleted", batch.size(), url, appId);
                finished(batch);
                return;
            }
            ObjectNode body = json.createObjectNode().put("time_ms", System.currentTimeMillis());
            ArrayNode events = body.putArray("events");
            batch.forEach(p -> events.add(p.webhook().event()));
            String text = body.toString();
            HttpRequest request = HttpRequest.newBuilder(url).timeout(settings.requestTimeout())
                    .header("Content-Type", "application/json")
                    .header("X-Pusher-Key", app.key())
                    .header("X-Pusher-Signature", app.signer().sign(text))
                    .POST(HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8)).build();
            http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                if (error == null && response.statusCode() / 100 == 2) {
                    delivered.increment(batch.size());
                    finished(batch);
                    return;
                }
                String why = error != null ? error.toString() : "HTTP " + response.statusCode();
                Duration wait = backoff(attempt);
                if (System.currentTimeMillis() + wait.toMillis() - firstAttempt > settings.retryFor().toMillis()) {
                    failed.increment(batch.size());
                    LOG.warnf("dropping %d webhook events for %s after %d attempts: %s", batch.size(), url, attempt + 1, why);
                    finished(batch);
                    return;
                }
                retried.increment();
                LOG.debugf("webhook body for %s failed (%s); again in %d ms", url, why, wait.toMillis());
                vertx.setTimer(Math.max(1, wait.toMillis()), id -> send(batch, firstAttempt, attempt + 1));
            });
        }

        private void finished(List<Pending> batch) {
            batch.forEach(p -> p.done().run());
            synchronized (this) {
                sending = false;
                inFlight = List.of();
                if (!queue.isEmpty() && !scheduled) {
                    scheduled = true;
                    vertx.setTimer(1, id -> start());
                }
            }
        }
    }

    private Duration backoff(int attempt) {
        long millis = settings.initialBackoff().toMillis() << Math.min(attempt, 20);
        return Duration.ofMillis(Math.min(millis, settings.maxBackoff().toMillis()));
    }
}
