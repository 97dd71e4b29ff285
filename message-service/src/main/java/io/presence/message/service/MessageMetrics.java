package io.presence.message.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.presence.common.pusher.PusherConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Meters of message-service: messages persisted (counted once their transaction committed) and the round trip of a
 * trivial query to PostgreSQL, measured every few seconds off the event loop, for the operator console and Grafana.
 */
@ApplicationScoped
public class MessageMetrics {

    private static final Logger LOG = Logger.getLogger(MessageMetrics.class);
    private static final Duration PROBE_EVERY = Duration.ofSeconds(5);

    private final Counter persisted;
    private final DataSource database;
    private final Vertx vertx;
    private volatile double latencySeconds = Double.NaN;
    private long timer = -1;

    public MessageMetrics(MeterRegistry metrics, DataSource database, Vertx vertx, PusherConfig pusher) {
        // messages belong to the built-in app (the page's users): tagged so, the console shows them with its usage
        this.persisted = Counter.builder("messages.persisted").tag("app", pusher.appId())
                .description("Messages stored (after their commit)").register(metrics);
        Gauge.builder("database.latency", this, m -> m.latencySeconds).baseUnit("seconds")
                .description("Round trip of SELECT 1 to PostgreSQL, measured every 5 s").register(metrics);
        this.database = database;
        this.vertx = vertx;
    }

    void committed(@Observes(during = TransactionPhase.AFTER_SUCCESS) RealtimeEvent event) {
        if (RealtimeEvent.MESSAGE.equals(event.name())) {
            persisted.increment();
        }
    }

    /** Messages stored by a committed batch of sends (which fires no transactional event). */
    public void persisted(int messages) {
        persisted.increment(messages);
    }

    void start(@Observes StartupEvent event) {
        timer = vertx.setPeriodic(100, PROBE_EVERY.toMillis(), id -> vertx.executeBlocking(() -> {
            probe();
            return null;
        }, false));
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private void probe() {
        long start = System.nanoTime();
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("SELECT 1");
            latencySeconds = (System.nanoTime() - start) / 1e9;
        } catch (Exception e) {
            latencySeconds = Double.NaN;
            LOG.debugf("database probe failed: %s", e.toString());
        }
    }
}
