package io.presence.user.service;

import io.presence.common.app.App;
import io.presence.common.app.AppRegistry;
import io.presence.common.app.AppSnapshot;
import io.presence.common.app.AppsConfig;
import io.presence.common.event.AfterCommit;
import io.presence.common.event.ControlCommand;
import io.presence.common.event.EventPublisher;
import io.presence.common.schedule.RepeatingTask;
import io.presence.common.store.PresenceSchema;
import io.presence.common.store.PresenceStoreConfig;
import io.presence.user.repository.AppRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Keeps Redis's snapshot of the app store ({@link AppSnapshot}) in step with PostgreSQL: every changing transaction
 * counts the store's version up and, once committed, publishes the whole store and the {@code AppsChanged} notice
 * every gateway reloads on. At start-up the configured apps are seeded; then every {@code apps.reload-interval} the
 * snapshot is written again when Redis holds none or an older one (Redis restarted or was flushed). PostgreSQL being
 * down is logged and tried again: meanwhile every service keeps the copy it has.
 */
@ApplicationScoped
public class AppStoreSync {

    private static final Logger LOG = Logger.getLogger(AppStoreSync.class);
    private static final Duration REDIS_WAIT = Duration.ofSeconds(3);

    private final AppRepository apps;
    private final AppRegistry registry;
    private final AppsConfig config;
    private final EventPublisher publisher;
    private final TransactionSynchronizationRegistry transactions;
    private final Redis redis;
    private final PresenceSchema schema;
    private volatile boolean seeded;
    private RepeatingTask checking;

    public AppStoreSync(AppRepository apps, AppRegistry registry, AppsConfig config, EventPublisher publisher,
                        TransactionSynchronizationRegistry transactions, Redis redis, PresenceStoreConfig store) {
        this.apps = apps;
        this.registry = registry;
        this.config = config;
        this.publisher = publisher;
        this.transactions = transactions;
        this.redis = redis;
        this.schema = store.schema();
    }

    void start(@Observes StartupEvent event) {
        checking = RepeatingTask.start("app-store-sync", Duration.ZERO, config.republishInterval(), this::check);
    }

    void stop(@Observes ShutdownEvent event) {
        if (checking != null) {
            checking.close();
        }
    }

    /**
     * Inside a transaction that changed apps: counts the store's version up (its row stays locked until the commit,
     * so versions follow commit order) and publishes the store as it then is once the transaction committed.
     */
    public long changed() {
        long version = apps.bumpVersion();
        AppSnapshot snapshot = new AppSnapshot(version, apps.all());
        AfterCommit.run(transactions, () -> publish(snapshot), () -> { });
        return version;
    }

    /**
     * Creates the configured apps, or brings their key, secret, webhooks and encryption key to the configuration's,
     * in one transaction that counts the version up only when something changed.
     *
     * @return the new version, or empty when every configured app was as configured already
     */
    public Optional<Long> seed() {
        Optional<Long> version = QuarkusTransaction.requiringNew().call(() -> {
            boolean changed = false;
            for (App app : registry.configured()) {
                changed |= apps.seed(app, config.secretGracePeriod());
            }
            return changed ? Optional.of(changed()) : Optional.<Long>empty();
        });
        seeded = true;
        version.ifPresent(v -> LOG.infof("configured apps seeded into the app store (version %d)", v));
        return version;
    }

    /** Seeds if not yet done, then publishes the store when Redis holds no snapshot or an older one. */
    void check() {
        if (!seeded) {
            try {
                seed();
            } catch (RuntimeException e) {
                // PostgreSQL down, or a configured key another app has: the check below still keeps Redis current
                LOG.warnf("configured apps not seeded (will retry in %s): %s", config.republishInterval(), e.toString());
            }
        }
        try {
            long stored = AppSnapshot.storedVersion(redis, schema).await().atMost(REDIS_WAIT).orElse(-1L);
            AppSnapshot behind = QuarkusTransaction.requiringNew().call(() -> {
                long version = apps.lockedVersion();
                return stored < version ? new AppSnapshot(version, apps.all()) : null;
            });
            if (behind != null) {
                LOG.infof("Redis holds app store version %d, the store is at %d: publishing it again", stored, behind.version());
                publish(behind);
            }
        } catch (RuntimeException e) {
            LOG.warnf("app store not checked (will retry in %s): %s", config.republishInterval(), e.toString());
        }
    }

    /** Writes the snapshot (unless Redis has a newer one), then tells every service to reload. */
    private void publish(AppSnapshot snapshot) {
        snapshot.publish(redis, schema)
                .chain(written -> publisher.command(new ControlCommand.AppsChanged(snapshot.version())))
                .subscribe().with(ok -> registry.reloadNow(),
                        err -> LOG.warnf("app store version %d not published (the check retries): %s", snapshot.version(), err.toString()));
    }
}
