package io.presence.systemtest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One packaged service started as its own JVM process, its output in {@code target/system-tests/<name>.log}. */
final class ServiceProcess implements AutoCloseable {

    /**
     * Extra JVM options of the services (the build's test.jvm.options when the system tests run them: faster starts;
     * none when a benchmark does).
     */
    private static final List<String> JVM_OPTIONS = Arrays.stream(System.getProperty("systest.service.jvm.options", "").split("\\s+"))
            .filter(o -> !o.isBlank()).toList();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final String name;
    /** The service this process runs (its module), e.g. gateway-service. */
    final String service;
    final int port;
    private final Process process;
    private final Path log;

    private ServiceProcess(String name, String service, int port, Process process, Path log) {
        this.name = name;
        this.service = service;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    static ServiceProcess start(Path root, String name, int port, Map<String, String> env) throws IOException {
        return start(root, name, port, env, name);
    }

    /** Starts a service's jar; {@code instance} names its log, so one service can run twice. */
    static ServiceProcess start(Path root, String name, int port, Map<String, String> env, String instance) throws IOException {
        Path jar = root.resolve(name).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package the services first");
        }
        Path log = root.resolve("system-tests/target/system-tests").resolve(instance + ".log");
        Files.createDirectories(log.getParent());
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m"));
        command.addAll(JVM_OPTIONS);
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        // a test JVM that is stopped early must not leave services running
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
        return new ServiceProcess(instance, name, port, process, log);
    }

    /** The process id (its memory is in /proc/{pid}/status). */
    long pid() {
        return process.pid();
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** Whether the process is still running. */
    boolean alive() {
        return process.isAlive();
    }

    /** Status of {@code /q/health/ready}, or -1 when nothing answers. */
    int readiness() {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url("/q/health/ready"))).timeout(Duration.ofSeconds(5)).build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    void awaitReady(Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; the end of " + log + ":\n" + tail());
            }
            if (readiness() == 200) {
                return;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(name + " not ready after " + timeout);
    }

    /** Waits for the process to end by itself: its exit code, or -1 if it still runs after the timeout. */
    int awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    /** Everything the process printed so far. */
    String output() throws IOException {
        return Files.readString(log);
    }

    /** The last lines of the log, for a failure message. */
    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** SIGKILL: the way a crashed node disappears. */
    void kill() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGSTOP: the process freezes as in a long GC pause or a CPU-starved container; its sockets stay open. */
    void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            kill();
        }
    }
}
