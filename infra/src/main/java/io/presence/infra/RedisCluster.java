package io.presence.infra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A local Redis Cluster of {@code redis-server} processes on free ports (masters, optionally each with replicas),
 * built with {@code redis-cli --cluster create}; for tests that must run the same code on a cluster. Needs
 * {@code redis-server} and {@code redis-cli} on the PATH ({@link #available()}).
 */
public final class RedisCluster implements AutoCloseable {

    private final List<RedisProcess> nodes;

    private RedisCluster(List<RedisProcess> nodes) {
        this.nodes = nodes;
    }

    public static boolean available() {
        return RedisProcess.available() && RedisProcess.executable("redis-cli") != null;
    }

    /** Starts {@code masters} masters with {@code replicasPerMaster} replicas each and waits until the cluster is ok. */
    public static RedisCluster start(Path dir, int masters, int replicasPerMaster) throws IOException, InterruptedException {
        List<RedisProcess> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < masters * (1 + replicasPerMaster); i++) {
                int index = i;
                nodes.add(RedisProcess.start(dir.resolve("node-" + index), "--cluster-enabled", "yes",
                        "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "2000"));
            }
            List<String> create = new ArrayList<>(List.of(RedisProcess.executable("redis-cli"), "--cluster", "create"));
            nodes.forEach(n -> create.add("127.0.0.1:" + n.port()));
            create.addAll(List.of("--cluster-replicas", Integer.toString(replicasPerMaster), "--cluster-yes"));
            Process cli = new ProcessBuilder(create).redirectErrorStream(true).start();
            String output = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!cli.waitFor(60, TimeUnit.SECONDS) || cli.exitValue() != 0) {
                throw new IOException("redis-cli --cluster create failed:\n" + output);
            }
            RedisCluster cluster = new RedisCluster(nodes);
            cluster.awaitOk(Duration.ofSeconds(30));
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            for (RedisProcess n : nodes) {
                n.close();
            }
            throw e;
        }
    }

    /** Every node, masters first as created (their roles may change after a failover). */
    public List<RedisProcess> nodes() {
        return nodes;
    }

    /** {@code redis://127.0.0.1:port} of every node, as a cluster client's seed list. */
    public List<String> urls() {
        return nodes.stream().map(n -> n.endpoint().url()).toList();
    }

    /** Waits until every live node reports {@code cluster_state:ok}. */
    public void awaitOk(Duration timeout) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            boolean ok = true;
            for (RedisProcess n : nodes) {
                String info = cli(n.port(), "CLUSTER", "INFO");
                if (info != null && !info.contains("cluster_state:ok")) {
                    ok = false;
                }
            }
            if (ok) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IOException("the cluster did not reach cluster_state:ok within " + timeout);
    }

    /**
     * Waits until the live nodes have marked {@code dead} as failed and promoted its replica: no live node lists a
     * failed master any more with slots, and every live node reports {@code cluster_state:ok}.
     */
    public void awaitFailover(RedisProcess dead, Duration timeout) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        String address = "127.0.0.1:" + dead.port() + "@";
        while (Instant.now().isBefore(deadline)) {
            boolean failedOver = true;
            for (RedisProcess n : nodes) {
                String view = n == dead ? null : cli(n.port(), "CLUSTER", "NODES");
                if (view != null && view.lines().anyMatch(line -> line.contains(address) && !line.contains("fail"))) {
                    failedOver = false; // this node still takes the dead one for a live member
                }
            }
            if (failedOver) {
                awaitOk(Duration.between(Instant.now(), deadline));
                return;
            }
            Thread.sleep(100);
        }
        throw new IOException("no failover of 127.0.0.1:" + dead.port() + " within " + timeout);
    }

    /** The live master that owns a key's (or a shard channel's) slot: the others answer MOVED. */
    public RedisProcess masterOf(String key) throws IOException, InterruptedException {
        for (RedisProcess n : nodes) {
            String reply = cli(n.port(), "GET", key);
            if (reply != null && !reply.contains("MOVED") && !reply.contains("CLUSTERDOWN")) {
                String role = cli(n.port(), "ROLE");
                if (role != null && role.startsWith("master")) {
                    return n;
                }
            }
        }
        throw new IOException("no live master owns " + key);
    }

    /** Runs a redis-cli command against one node; null when the node does not answer. */
    public static String cli(int port, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(RedisProcess.executable("redis-cli"), "-p", Integer.toString(port)));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0 || out.startsWith("Could not connect")) {
            return null;
        }
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        for (RedisProcess n : nodes) {
            n.close();
        }
    }
}
