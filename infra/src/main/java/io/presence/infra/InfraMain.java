package io.presence.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CountDownLatch;

/**
 * The {@code ./suite up} side of discovery: finds or starts PostgreSQL and Redis, writes their addresses to
 * {@code <state-dir>/infra.env} and holds embedded servers until the process is told to stop (SIGTERM or Ctrl-C).
 */
public final class InfraMain {

    private InfraMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !args[0].equals("--state-dir")) {
            System.err.println("usage: java -jar infra.jar --state-dir DIR");
            System.exit(2);
        }
        Path stateDir = Path.of(args[1]).toAbsolutePath();
        Path envFile = stateDir.resolve("infra.env");
        Files.deleteIfExists(envFile);

        Infrastructure infra;
        try {
            infra = Infrastructure.start(InfraSettings.fromEnvironment(), stateDir.resolve("infra"), line -> System.out.println("[infra] " + line));
            infra.postgres().ensureDatabase();
        } catch (Exception e) {
            System.err.println("[infra] cannot provide PostgreSQL and Redis: " + e.getMessage());
            System.exit(1);
            return;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("[infra] stopping");
            try {
                Files.deleteIfExists(envFile);
            } catch (IOException ignored) {
                // the suite script removes the state directory anyway
            }
            infra.close();
            stopped.countDown();
        }, "infra-shutdown"));

        writeEnvFile(envFile, infra);
        System.out.println("[infra] ready");
        stopped.await();
    }

    private static void writeEnvFile(Path envFile, Infrastructure infra) throws IOException {
        PostgresEndpoint pg = infra.postgres();
        String env = String.join("\n",
                "SUITE_PG_JDBC_URL=" + pg.jdbcUrl(),
                "SUITE_PG_USER=" + pg.user(),
                "SUITE_PG_PASSWORD=" + pg.password(),
                "SUITE_PG_EMBEDDED=" + pg.embedded(),
                "SUITE_REDIS_URL=" + infra.redis().url(),
                "SUITE_REDIS_EMBEDDED=" + infra.redis().embedded(),
                "");
        Path tmp = envFile.resolveSibling("infra.env.tmp");
        Files.writeString(tmp, env);
        Files.move(tmp, envFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
