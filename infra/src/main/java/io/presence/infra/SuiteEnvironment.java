package io.presence.infra;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The environment each service process gets from discovered stores and chosen ports: the one place that knows
 * which configuration keys wire the suite together. Used by {@code ./suite up} and by the cross-service tests.
 */
public final class SuiteEnvironment {

    /** The services in start order: backends first, the gateway that fronts them last. */
    public static final List<String> SERVICES = List.of("user-service", "presence-service", "message-service", "gateway-service");

    /** Ports of the four services. */
    public record Ports(int gateway, int user, int presence, int message) {

        public static Ports defaults() {
            return new Ports(8080, 8081, 8082, 8083);
        }

        /** Defaults, overridden by SUITE_GATEWAY_PORT, SUITE_USER_PORT, SUITE_PRESENCE_PORT, SUITE_MESSAGE_PORT. */
        public static Ports fromEnvironment(Map<String, String> env) {
            Ports d = defaults();
            return new Ports(port(env, "SUITE_GATEWAY_PORT", d.gateway), port(env, "SUITE_USER_PORT", d.user),
                    port(env, "SUITE_PRESENCE_PORT", d.presence), port(env, "SUITE_MESSAGE_PORT", d.message));
        }

        public int of(String service) {
            return switch (service) {
                case "gateway-service" -> gateway;
                case "user-service" -> user;
                case "presence-service" -> presence;
                case "message-service" -> message;
                default -> throw new IllegalArgumentException("unknown service " + service);
            };
        }

        private static int port(Map<String, String> env, String name, int fallback) {
            String value = env.get(name);
            return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
        }
    }

    private SuiteEnvironment() {
    }

    /**
     * Environment variables for one service (they override its application.properties).
     *
     * @param workDir directory owned by this run, removed when it stops; Vert.x's file cache goes here, not to /tmp
     */
    public static Map<String, String> forService(String service, PostgresEndpoint pg, RedisEndpoint redis, Ports ports, Path workDir) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(ports.of(service)));
        env.put("QUARKUS_VERTX_CACHE_DIRECTORY", workDir.resolve("vertx-cache").resolve(service).toAbsolutePath().toString());
        env.put("QUARKUS_REDIS_HOSTS", redis.url());
        switch (service) {
            case "user-service" -> {
                putDatabase(env, pg);
                env.put("QUARKUS_REST_CLIENT_MESSAGE_SERVICE_URL", "http://127.0.0.1:" + ports.message());
            }
            case "message-service" -> {
                putDatabase(env, pg);
                env.put("QUARKUS_REST_CLIENT_USER_SERVICE_URL", "http://127.0.0.1:" + ports.user());
            }
            case "gateway-service" -> {
                env.put("GATEWAY_BACKENDS_USER_SERVICE", "http://127.0.0.1:" + ports.user());
                env.put("GATEWAY_BACKENDS_PRESENCE_SERVICE", "http://127.0.0.1:" + ports.presence());
                env.put("GATEWAY_BACKENDS_MESSAGE_SERVICE", "http://127.0.0.1:" + ports.message());
            }
            case "presence-service" -> env.put("QUARKUS_REST_CLIENT_USER_SERVICE_URL", "http://127.0.0.1:" + ports.user());
            default -> throw new IllegalArgumentException("unknown service " + service);
        }
        return env;
    }

    private static void putDatabase(Map<String, String> env, PostgresEndpoint pg) {
        env.put("QUARKUS_DATASOURCE_JDBC_URL", pg.jdbcUrl());
        env.put("QUARKUS_DATASOURCE_USERNAME", pg.user());
        env.put("QUARKUS_DATASOURCE_PASSWORD", pg.password());
    }
}
