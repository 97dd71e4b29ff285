package io.presence.infra;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
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

    /**
     * The shared service token of this run (INTERNAL_TOKEN): 256 random bits, the same for every service started
     * from this process, never written anywhere but their environment files.
     */
    private static final String INTERNAL_TOKEN = newToken();

    /** Ports of the four services, and the gateway's management port (its metrics). */
    public record Ports(int gateway, int user, int presence, int message, int gatewayManagement) {

        /** The four service ports, with the gateway's management port on a free port. */
        public Ports(int gateway, int user, int presence, int message) {
            this(gateway, user, presence, message, Infrastructure.freePort());
        }

        public static Ports defaults() {
            return new Ports(8080, 8081, 8082, 8083, 9080);
        }

        /**
         * Defaults, overridden by SUITE_GATEWAY_PORT, SUITE_USER_PORT, SUITE_PRESENCE_PORT, SUITE_MESSAGE_PORT and
         * SUITE_GATEWAY_MANAGEMENT_PORT.
         */
        public static Ports fromEnvironment(Map<String, String> env) {
            Ports d = defaults();
            return new Ports(port(env, "SUITE_GATEWAY_PORT", d.gateway), port(env, "SUITE_USER_PORT", d.user),
                    port(env, "SUITE_PRESENCE_PORT", d.presence), port(env, "SUITE_MESSAGE_PORT", d.message),
                    port(env, "SUITE_GATEWAY_MANAGEMENT_PORT", d.gatewayManagement));
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
     * Environment variables for one service (they override its application.properties): the dev profile, every port
     * (the gateway's too) bound to 127.0.0.1. user- and
     * message-service share this run's service token for their /internal calls, and the gateway for the console's
     * app API (user-service's /internal/apps).
     *
     * @param workDir directory owned by this run, removed when it stops; Vert.x's file cache goes here, not to /tmp
     */
    public static Map<String, String> forService(String service, PostgresEndpoint pg, RedisEndpoint redis, Ports ports, Path workDir) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(ports.of(service)));
        env.put("QUARKUS_VERTX_CACHE_DIRECTORY", workDir.resolve("vertx-cache").resolve(service).toAbsolutePath().toString());
        env.put("QUARKUS_REDIS_HOSTS", redis.url());
        // the development profile (its well-known app secret is allowed there, see common's InsecureDefaults), and
        // therefore every port on loopback only
        env.put("QUARKUS_PROFILE", "dev");
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        switch (service) {
            case "user-service" -> {
                putDatabase(env, pg);
                env.put("QUARKUS_REST_CLIENT_MESSAGE_SERVICE_URL", "http://127.0.0.1:" + ports.message());
                env.put("INTERNAL_TOKEN", INTERNAL_TOKEN);
            }
            case "message-service" -> {
                putDatabase(env, pg);
                env.put("QUARKUS_REST_CLIENT_USER_SERVICE_URL", "http://127.0.0.1:" + ports.user());
                env.put("INTERNAL_TOKEN", INTERNAL_TOKEN);
            }
            case "gateway-service" -> {
                env.put("GATEWAY_BACKENDS_USER_SERVICE", "http://127.0.0.1:" + ports.user());
                env.put("GATEWAY_BACKENDS_PRESENCE_SERVICE", "http://127.0.0.1:" + ports.presence());
                env.put("GATEWAY_BACKENDS_MESSAGE_SERVICE", "http://127.0.0.1:" + ports.message());
                env.put("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
                env.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(ports.gatewayManagement()));
                env.put("INTERNAL_TOKEN", INTERNAL_TOKEN);
            }
            case "presence-service" -> {
                env.put("QUARKUS_REST_CLIENT_USER_SERVICE_URL", "http://127.0.0.1:" + ports.user());
            }
            default -> throw new IllegalArgumentException("unknown service " + service);
        }
        return env;
    }

    private static String newToken() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void putDatabase(Map<String, String> env, PostgresEndpoint pg) {
        env.put("QUARKUS_DATASOURCE_JDBC_URL", pg.jdbcUrl());
        env.put("QUARKUS_DATASOURCE_USERNAME", pg.user());
        env.put("QUARKUS_DATASOURCE_PASSWORD", pg.password());
    }
}
