package io.presence.presence.service;

import io.presence.common.store.PresenceStoreConfig;
import io.presence.common.schedule.RepeatingTask;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Repeats presence-service's passes from start-up to shutdown, each on a thread of its own that logs a failed pass and tries again. */
@ApplicationScoped
public class Passes {

    // a pass that starts while Quarkus still creates the Redis client fails it (seen under load)
    private static final Duration START_DELAY = Duration.ofSeconds(2);

    private final NodeReaper reaper;
    private final StatusExpiry expiry;
    private final LegacyKeysMigration migration;
    private final Duration reaperInterval;
    private final List<RepeatingTask> running = new ArrayList<>();

    public Passes(NodeReaper reaper, StatusExpiry expiry, LegacyKeysMigration migration, PresenceStoreConfig config) {
        this.reaper = reaper;
        this.expiry = expiry;
        this.migration = migration;
        this.reaperInterval = config.reaperInterval();
    }

    // threads of their own: Quarkus' scheduler runs nothing more often than once a second, and a pass blocks on Redis
    synchronized void start(@Observes StartupEvent event) {
        running.add(RepeatingTask.start("node-reaper", START_DELAY, reaperInterval, reaper::reap));
        running.add(RepeatingTask.start("status-expiry", START_DELAY, Duration.ofSeconds(1), expiry::expire));
        running.add(RepeatingTask.start("legacy-keys-migration", START_DELAY, Duration.ofMinutes(5), migration::migrate));
    }

    synchronized void stop(@Observes ShutdownEvent event) {
        running.forEach(RepeatingTask::close);
        running.clear();
    }
}
