package io.presence.systemtest.bench;

import io.presence.infra.RedisEndpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a piece of load cost the servers themselves, read from their own counters rather than from wall time (the
 * load tool shares the machine): CPU-seconds of processes from /proc, and Redis's CPU and command counts from INFO.
 */
public final class ServerCost {

    /** Linux reports process CPU in clock ticks of 1/100 s (USER_HZ). */
    private static final double TICKS_PER_SECOND = 100.0;
    private static final Pattern CALLS = Pattern.compile("cmdstat_([a-z|]+):calls=(\\d+)");

    private final Map<String, Long> pids;
    private final RedisEndpoint redis;
    private final Map<String, Double> cpuBefore = new java.util.LinkedHashMap<>();
    private double redisCpuBefore;
    private Map<String, Long> commandsBefore;

    private ServerCost(Map<String, Long> pids, RedisEndpoint redis) {
        this.pids = pids;
        this.redis = redis;
    }

    /** Starts measuring the given processes (name -> pid) and Redis. */
    static ServerCost start(Map<String, Long> pids, RedisEndpoint redis) throws IOException {
        ServerCost cost = new ServerCost(pids, redis);
        for (Map.Entry<String, Long> p : pids.entrySet()) {
            cost.cpuBefore.put(p.getKey(), cpuSeconds(p.getValue()));
        }
        cost.redisCpuBefore = redisCpu(redis);
        cost.commandsBefore = commands(redis);
        return cost;
    }

    /** One line: CPU-seconds per process and for Redis, and the Redis commands run, each also per {@code unit}. */
    String report(long units, String unit) throws IOException {
        StringBuilder line = new StringBuilder("server cost:");
        for (Map.Entry<String, Long> p : pids.entrySet()) {
            line.append(String.format(" %s %.2f CPU-s;", p.getKey(), cpuSeconds(p.getValue()) - cpuBefore.get(p.getKey())));
        }
        line.append(String.format(" redis %.2f CPU-s;", redisCpu(redis) - redisCpuBefore));
        Map<String, Long> after = commands(redis);
        long total = 0;
        StringBuilder byCommand = new StringBuilder();
        for (Map.Entry<String, Long> c : after.entrySet()) {
            long calls = c.getValue() - commandsBefore.getOrDefault(c.getKey(), 0L);
            if (calls > 0 && !c.getKey().equals("info")) {
                total += calls;
                byCommand.append(' ').append(c.getKey()).append('=').append(calls);
            }
        }
        line.append(String.format(" redis commands %d (%.2f per %s:%s)", total, total / (double) Math.max(1, units), unit, byCommand));
        return line.toString();
    }

    /**
     * A Redis of the tool's own (a private redis-server on a free port) when one can be started, so its CPU and
     * command counts are the load's alone; else the discovered one. Close the returned process (may be null).
     */
    static io.presence.infra.RedisProcess privateRedis(Path work) throws IOException {
        if (!io.presence.infra.RedisProcess.available()) {
            System.out.println("redis-server not found: measuring on the shared Redis (its counters include other clients)");
            return null;
        }
        return io.presence.infra.RedisProcess.start(work.resolve("redis"));
    }

    static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // after the command name: state is field 3, utime field 14, stime field 15 (1-based, counting pid and comm)
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
    }

    public static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    private static double redisCpu(RedisEndpoint redis) throws IOException {
        String info = redis.info("cpu");
        return field(info, "used_cpu_sys") + field(info, "used_cpu_user");
    }

    private static double field(String info, String name) {
        Matcher m = Pattern.compile(name + ":([0-9.]+)").matcher(info);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** One process's CPU-seconds and Redis's command count (INFO calls left out) at one moment. */
    record Snapshot(double cpu, long commands) {
    }

    /** The process's CPU-seconds and the commands Redis ran so far, for differences between two moments. */
    static Snapshot snapshot(long pid, RedisEndpoint redis) throws IOException {
        long total = 0;
        for (Map.Entry<String, Long> c : commands(redis).entrySet()) {
            if (!c.getKey().equals("info")) {
                total += c.getValue();
            }
        }
        return new Snapshot(cpuSeconds(pid), total);
    }

    private static Map<String, Long> commands(RedisEndpoint redis) throws IOException {
        Map<String, Long> calls = new java.util.TreeMap<>();
        Matcher m = CALLS.matcher(redis.info("commandstats"));
        while (m.find()) {
            calls.put(m.group(1), Long.parseLong(m.group(2)));
        }
        return calls;
    }
}
