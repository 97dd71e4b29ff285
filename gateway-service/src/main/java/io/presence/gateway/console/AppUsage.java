package io.presence.gateway.console;

import io.presence.common.console.ServiceReport;
import io.presence.gateway.console.ConsoleViews.AppUsageView;
import io.presence.gateway.console.ConsoleViews.Instance;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Each app's usage for the console, from the per-app meters every service instance reports (meters tagged
 * {@code app}, see {@link ServiceReport#appField}), sampled with the cluster overview: connections (gauge
 * {@code apps.connections} summed over live instances), events the app sent into channels and messages stored per
 * second (counters {@code apps.events} and message-service's {@code messages.persisted}, tagged {@code app}, their
 * latest rates summed over instances and tags), and the
 * refusals per limit over the last {@link #REFUSAL_WINDOW} (counter {@code apps.refusals} tagged {@code limit}).
 * Presence members are counted from the presence store when asked. A meter no service reports yet reads as null.
 */
@ApplicationScoped
public class AppUsage {

    /** How far back refusals are added up. */
    static final Duration REFUSAL_WINDOW = Duration.ofMinutes(10);
    static final String CONNECTIONS = "apps.connections";
    static final String REFUSALS = "apps.refusals";
    static final String EVENTS = "apps.events";
    static final String MESSAGES = "messages.persisted";

    /** A per-app report field taken apart. */
    record Field(String meter, Map<String, String> tags, String app) {

        static Field parse(String key) {
            int at = key.indexOf('@');
            if (!key.startsWith(ServiceReport.APP_PREFIX) || at < 0) {
                return null;
            }
            String[] parts = key.substring(ServiceReport.APP_PREFIX.length(), at).split(";");
            Map<String, String> tags = new TreeMap<>();
            for (int i = 1; i < parts.length; i++) {
                int eq = parts[i].indexOf('=');
                if (eq > 0) {
                    tags.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
                }
            }
            return new Field(parts[0], tags, key.substring(at + 1));
        }
    }

    /** One sample's refusals that happened since the one before: per app, per limit. */
    private record Step(long at, Map<String, Map<String, Double>> refusals) {
    }

    private final ConsoleChannels channels;
    /** Per instance and field: the value and report time last seen. */
    private final Map<String, double[]> last = new HashMap<>();
    /** Per instance and field: the counter's latest rate per second. */
    private final Map<String, Double> rates = new HashMap<>();
    private final ArrayDeque<Step> steps = new ArrayDeque<>();
    /** Per app: connections summed over the live instances of the latest sample. */
    private Map<String, Double> connections = Map.of();
    private long sampledAt;

    public AppUsage(ConsoleChannels channels) {
        this.channels = channels;
    }

    /** Takes in a sample of the live instances' reports (called by {@link ClusterOverview} every sample). */
    synchronized void sample(long now, List<Instance> reports) {
        Map<String, Double> connected = new HashMap<>();
        Map<String, Map<String, Double>> refused = new HashMap<>();
        for (Instance i : reports) {
            for (Map.Entry<String, Double> meter : i.meters().entrySet()) {
                Field field = Field.parse(meter.getKey());
                if (field == null) {
                    continue;
                }
                double value = meter.getValue();
                String id = i.instance() + "\n" + meter.getKey();
                double[] before = last.put(id, new double[] {value, i.reportedAt()});
                if (field.meter().equals(CONNECTIONS)) {
                    connected.merge(field.app(), value, Double::sum);
                    continue;
                }
                if (before == null || i.reportedAt() <= before[1]) {
                    continue;
                }
                double delta = value >= before[0] ? value - before[0] : value; // a restarted instance counts from 0
                rates.put(id, delta * 1000 / (i.reportedAt() - before[1]));
                if (field.meter().equals(REFUSALS) && delta > 0) {
                    refused.computeIfAbsent(field.app(), a -> new TreeMap<>())
                            .merge(field.tags().getOrDefault("limit", "?"), delta, Double::sum);
                }
            }
        }
        List<String> ids = reports.stream().map(Instance::instance).toList();
        last.keySet().removeIf(k -> !ids.contains(k.substring(0, k.indexOf('\n'))));
        rates.keySet().retainAll(last.keySet());
        steps.addLast(new Step(now, refused));
        while (!steps.isEmpty() && steps.peekFirst().at() < now - REFUSAL_WINDOW.toMillis()) {
            steps.removeFirst();
        }
        connections = connected;
        sampledAt = now;
    }

    /** The app's usage as of the latest sample, with its presence members counted now. */
    public Uni<AppUsageView> usage(String appId) {
        return channels.list(appId, "presence-").map(rows -> view(appId,
                rows.stream().mapToInt(r -> r.userCount() == null ? 0 : r.userCount()).sum()));
    }

    private synchronized AppUsageView view(String appId, int members) {
        Map<String, Long> refusals = new TreeMap<>();
        for (Step step : steps) {
            step.refusals().getOrDefault(appId, Map.of()).forEach((limit, n) -> refusals.merge(limit, Math.round(n), Long::sum));
        }
        Double connected = connections.get(appId);
        return new AppUsageView(appId, sampledAt, connected == null ? null : (int) Math.round(connected), members,
                rate(appId, EVENTS), rate(appId, MESSAGES), refusals, REFUSAL_WINDOW.toSeconds());
    }

    /** The sum of a per-app counter's latest rates over the live instances; null when no instance reports it. */
    private Double rate(String appId, String meter) {
        Double sum = null;
        for (Map.Entry<String, Double> r : rates.entrySet()) {
            Field field = Field.parse(r.getKey().substring(r.getKey().indexOf('\n') + 1));
            if (field != null && field.meter().equals(meter) && field.app().equals(appId)) {
                sum = (sum == null ? 0 : sum) + r.getValue();
            }
        }
        return sum;
    }
}
