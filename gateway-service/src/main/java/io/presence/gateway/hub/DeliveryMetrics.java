package io.presence.gateway.hub;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Counters of what the local channels did with the events they received. */
@ApplicationScoped
public class DeliveryMetrics {

    private final Counter delivered;
    private final Counter duplicates;
    private final Counter gapsRepaired;
    private final Counter missed;
    private final Timer latency;
    private final Counter resumes;
    private final Counter replayed;
    private final Counter resumesTooOld;

    public DeliveryMetrics(MeterRegistry metrics) {
        delivered = Counter.builder("events.delivered").description("Frames sent to local subscribers for bus events").register(metrics);
        duplicates = Counter.builder("events.duplicates.dropped").description("Bus events dropped because the channel had them already").register(metrics);
        gapsRepaired = Counter.builder("event.gaps.repaired").description("Channel repairs after a missing sequence number or a bus outage").register(metrics);
        missed = Counter.builder("events.missed").description("Repairs that could not replay every stored event (subscribers were told)").register(metrics);
        latency = Timer.builder("events.delivery.latency").description("From a bus event's arrival to its frames handed to every local subscriber")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(10_000)).maximumExpectedValue(Duration.ofSeconds(1))
                .register(metrics);
        resumes = Counter.builder("resume.subscriptions").description("Subscriptions of resumable clients that picked up where the client left off").register(metrics);
        replayed = Counter.builder("resume.events.replayed").description("Missed events sent to resumed subscriptions").register(metrics);
        resumesTooOld = Counter.builder("resume.too.old").description("Resumed subscriptions told pusher:events_missed (window passed or events no longer kept)").register(metrics);
    }

    void resumed() {
        resumes.increment();
    }

    void replayed() {
        replayed.increment();
    }

    void resumeTooOld() {
        resumesTooOld.increment();
    }

    void handled(long nanos) {
        latency.record(nanos, TimeUnit.NANOSECONDS);
    }

    void delivered() {
        delivered.increment();
    }

    void duplicate() {
        duplicates.increment();
    }

    void gapRepaired() {
        gapsRepaired.increment();
    }

    void missed() {
        missed.increment();
    }
}
