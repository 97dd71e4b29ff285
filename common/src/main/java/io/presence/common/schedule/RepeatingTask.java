package io.presence.common.schedule;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * A task repeated on a daemon thread of its own, each run starting an interval after the previous one ended: off the
 * event loops (a loop kept busy by clients cannot delay it) and free to block on Redis. A run that fails is logged and
 * the next one tries again.
 */
public final class RepeatingTask implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RepeatingTask.class);

    private final String name;
    private final Runnable task;
    private final ScheduledExecutorService thread;

    private RepeatingTask(String name, Runnable task) {
        this.name = name;
        this.task = task;
        this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread t = new Thread(runnable, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts running {@code task} after {@code delay}, then every {@code interval}, on a thread named {@code name}. */
    public static RepeatingTask start(String name, Duration delay, Duration interval, Runnable task) {
        RepeatingTask repeating = new RepeatingTask(name, task);
        repeating.thread.scheduleWithFixedDelay(repeating::runSafely, delay.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return repeating;
    }

    /** One extra run as soon as the thread is free (never concurrently with another). */
    public void runNow() {
        thread.execute(this::runSafely);
    }

    private void runSafely() {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.warnf("%s failed (will retry): %s", name, e.toString());
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
