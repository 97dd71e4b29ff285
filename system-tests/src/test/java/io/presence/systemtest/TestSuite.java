package io.presence.systemtest;

import io.presence.infra.Infrastructure;
import io.presence.infra.PostgresEndpoint;
import io.presence.infra.RedisEndpoint;
import io.presence.infra.SuiteEnvironment;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The packaged services of one test class as processes, on given stores with a presence key prefix of their own;
 * any service can be started more than once (several gateways), each with its own port and log, and with
 * environment overrides (a gateway's Redis behind a {@link TcpProxy}, say). Closing it stops them all.
 */
final class TestSuite implements AutoCloseable {

    static final Path ROOT = Path.of(System.getProperty("suite.root", "..")).toAbsolutePath().normalize();

    private final String name;
    private final PostgresEndpoint database;
    private final RedisEndpoint redis;
    private final SuiteEnvironment.Ports ports;
    private final String prefix;
    private final List<ServiceProcess> processes = new ArrayList<>();

    TestSuite(String name, PostgresEndpoint database, RedisEndpoint redis) throws IOException {
        this.name = name;
        this.database = database;
        this.redis = redis;
        this.ports = new SuiteEnvironment.Ports(Infrastructure.freePort(), Infrastructure.freePort(), Infrastructure.freePort(),
                Infrastructure.freePort());
        this.prefix = name + "-" + UUID.randomUUID();
    }

    /** The presence key prefix every service of this suite uses. */
    String prefix() {
        return prefix;
    }

    /** Starts a backend on its port (or a first gateway on the gateway port). */
    ServiceProcess start(String service, Map<String, String> overrides) throws IOException {
        return start(service, service, ports.of(service), overrides);
    }

    /** Starts one more gateway on a port of its own; the backends it fronts are this suite's. */
    ServiceProcess startGateway(String instance, Map<String, String> overrides) throws IOException {
        return start("gateway-service", instance, Infrastructure.freePort(), overrides);
    }

    private ServiceProcess start(String service, String instance, int port, Map<String, String> overrides) throws IOException {
        Map<String, String> env = new LinkedHashMap<>(SuiteEnvironment.forService(service, database, redis, ports,
                ROOT.resolve("system-tests/target").resolve(name)));
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("PRESENCE_STORE_KEY_PREFIX", prefix);
        env.putAll(overrides);
        ServiceProcess process = ServiceProcess.start(ROOT, service, port, env, name + "-" + instance);
        processes.add(process);
        return process;
    }

    void awaitReady() throws InterruptedException {
        for (ServiceProcess p : processes) {
            p.awaitReady(Duration.ofSeconds(90));
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (ServiceProcess p : processes) {
            p.close();
        }
    }
}
