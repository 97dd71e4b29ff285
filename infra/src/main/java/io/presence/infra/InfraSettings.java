package io.presence.infra;

import java.util.Map;

/**
 * Where to look for PostgreSQL and Redis, read from {@code SUITE_*} environment variables.
 *
 * @param mode          {@code auto} (use what answers, else embedded), {@code external} (fail if absent) or {@code embedded}
 * @param pgHost        PostgreSQL host ({@code SUITE_PG_HOST}, default 127.0.0.1)
 * @param pgPort        PostgreSQL port ({@code SUITE_PG_PORT}, default 5432)
 * @param pgUser        PostgreSQL user ({@code SUITE_PG_USER}, default postgres)
 * @param pgPassword    PostgreSQL password ({@code SUITE_PG_PASSWORD}, default empty)
 * @param pgDatabase    database the suite uses ({@code SUITE_PG_DATABASE}, default presence); created when missing
 * @param redisHost     Redis host ({@code SUITE_REDIS_HOST}, default 127.0.0.1)
 * @param redisPort     Redis port ({@code SUITE_REDIS_PORT}, default 6379)
 * @param redisPassword Redis password ({@code SUITE_REDIS_PASSWORD}, default none)
 */
public record InfraSettings(Mode mode, String pgHost, int pgPort, String pgUser, String pgPassword, String pgDatabase,
                            String redisHost, int redisPort, String redisPassword) {

    /** How discovery chooses between servers that are already running and embedded ones. */
    public enum Mode { AUTO, EXTERNAL, EMBEDDED }

    public static InfraSettings fromEnvironment() {
        return from(System.getenv());
    }

    static InfraSettings from(Map<String, String> env) {
        return new InfraSettings(
                Mode.valueOf(env.getOrDefault("SUITE_INFRA", "auto").trim().toUpperCase()),
                env.getOrDefault("SUITE_PG_HOST", "127.0.0.1"),
                Integer.parseInt(env.getOrDefault("SUITE_PG_PORT", "5432")),
                env.getOrDefault("SUITE_PG_USER", "postgres"),
                env.getOrDefault("SUITE_PG_PASSWORD", ""),
                env.getOrDefault("SUITE_PG_DATABASE", "presence"),
                env.getOrDefault("SUITE_REDIS_HOST", "127.0.0.1"),
                Integer.parseInt(env.getOrDefault("SUITE_REDIS_PORT", "6379")),
                env.getOrDefault("SUITE_REDIS_PASSWORD", ""));
    }
}
