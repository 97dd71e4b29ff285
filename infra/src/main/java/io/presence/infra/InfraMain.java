package io.presence.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
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
            System.err.println("usage: java -cp 'infra.jar:lib/*' io.presence.infra.InfraMain --state-dir DIR");
            System.exit(2);
        }
        Path stateDir = Path.of(args[1]).toAbsolutePath();
        Path envFile = stateDir.resolve("infra.env");
        Files.deleteIfExists(envFile);

        Infrastructure infra = Infrastructure.open(InfraSettings.fromEnvironment(), stateDir.resolve("infra"),
                line -> System.out.println("[infra] " + line));
        try {
            infra.postgres().ensureDatabase();
            infra.redis();
        } catch (Exception e) {
            System.err.println("[infra] cannot provide PostgreSQL and Redis: " + e.getMessage());
            infra.close();
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

        writeEnvFiles(stateDir, envFile, infra);
        System.out.println("[infra] ready");
        stopped.await();
    }

    /**
     * Writes one {@code <service>.env} per service and then {@code infra.env}, whose appearance tells the suite
     * script that everything is ready. Values are single-quoted for the shell.
     */
    private static void writeEnvFiles(Path stateDir, Path envFile, Infrastructure infra) throws IOException {
        // both were found before this is called; these calls only read them back
        SuiteEnvironment.Ports ports = SuiteEnvironment.Ports.fromEnvironment(System.getenv());
        for (String service : SuiteEnvironment.SERVICES) {
            Map<String, String> env = SuiteEnvironment.forService(service, infra.postgres(), infra.redis(), ports, stateDir);
            writeAtomically(stateDir.resolve(service + ".env"), env);
        }
        Map<String, String> summary = new LinkedHashMap<>();
        summary.put("SUITE_PG", infra.postgres().toString());
        summary.put("SUITE_REDIS", infra.redis().toString());
        writeAtomically(envFile, summary);
    }

    private static void writeAtomically(Path file, Map<String, String> env) throws IOException {
        StringBuilder text = new StringBuilder();
        env.forEach((k, v) -> text.append(k).append("='").append(v.replace("'", "'\\''")).append("'\n"));
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
