package io.presence.deploy;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real tools the checks render with: kubectl's built-in kustomize, and Docker Compose's {@code config}
 * (the v2 plugin {@code docker compose} if present, else {@code docker-compose} v1.29, Debian's package).
 * Neither needs a cluster or a Docker engine. A missing tool fails the test with what to install: .ci/run
 * installs them on a clean machine, a developer's machine needs them too.
 */
final class Tools {

    private Tools() {
    }

    /** kubectl kustomize of a folder of the repository, as YAML text. */
    static String kustomize(String folder) {
        return run(List.of(require("kubectl", "install kubectl (Debian: apt-get install kubernetes-client is too old; see .ci/run)"),
                "kustomize", Repository.file(folder).toString()));
    }

    /**
     * The compose file as Compose itself resolves it (anchors, merges, ${VAR:-default} and ${VAR:?refusal} applied)
     * with the variables of an env file of the repository (.env.example: the secrets it asks for), as YAML text.
     */
    static String composeConfig(String envFile) {
        return run(composeCommand(envFile));
    }

    /** Compose's config of the file with an env file of the repository ("/dev/null": no variables at all). */
    static List<String> composeCommand(String envFile) {
        String file = Repository.file("docker-compose.yml").toString();
        List<String> command = new ArrayList<>();
        if (onPath("docker") && exitsZero(List.of("docker", "compose", "version"))) {
            command.addAll(List.of("docker", "compose"));
        } else {
            command.add(require("docker-compose", "install Docker Compose (Debian: apt-get install --no-install-recommends docker-compose)"));
        }
        String env = envFile.startsWith("/") ? envFile : Repository.file(envFile).toString();
        command.addAll(List.of("--env-file", env, "--file", file, "--profile", "second-gateway", "config"));
        return command;
    }

    static String run(List<String> command) {
        Result result = attempt(command);
        if (result.exitCode() != 0) {
            fail(String.join(" ", command) + " failed (" + result.exitCode() + "):\n" + result.errors());
        }
        return result.output();
    }

    /** What a command printed, and how it ended. */
    record Result(int exitCode, String output, String errors) {
    }

    /** Runs a command to its end, whatever its exit code. */
    static Result attempt(List<String> command) {
        try {
            Path out = Files.createTempFile("deploy-tests", ".out");
            Path err = Files.createTempFile("deploy-tests", ".err");
            try {
                ProcessBuilder builder = new ProcessBuilder(command)
                        .directory(Repository.root().toFile())
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile());
                // Only the defaults in the files count, not whatever the developer's shell exports.
                builder.environment().keySet().removeIf(k -> k.startsWith("PUSHER_") || k.startsWith("POSTGRES_")
                        || k.startsWith("GATEWAY_") || k.equals("TAG") || k.startsWith("USERS_") || k.startsWith("COMPOSE_")
                        || k.startsWith("PRESENCE_") || k.equals("INTERNAL_TOKEN"));
                Process process = builder.start();
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    fail(String.join(" ", command) + " did not finish within 60 s");
                }
                return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            return fail(String.join(" ", command) + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted");
        }
    }

    private static String require(String tool, String hint) {
        if (!onPath(tool)) {
            fail(tool + " is not on the PATH: " + hint);
        }
        return tool;
    }

    private static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    private static boolean exitsZero(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
