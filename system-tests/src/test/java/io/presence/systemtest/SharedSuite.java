package io.presence.systemtest;

import io.presence.common.testing.WebhookReceiver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The running suite most system tests share (a JUnit extension; classes use it through {@link OnSharedSuite}): the four
 * services and a second gateway ({@code gateway-b}) on the discovered PostgreSQL and Redis, started once by the first
 * class that needs it and stopped after the last test of the run. Every instance reaches its stores through a
 * {@link TcpProxy} of its own, so a test can take Redis or PostgreSQL away from one service; webhooks of every kind go
 * to one {@link WebhookReceiver}; the operator console has a password. Tests use users and channels of their own.
 * A class that stops, kills or cuts something puts it back, and as a safety net each class starts with every proxy
 * passing traffic and every instance running and ready ({@link ServiceSuite#heal()}).
 */
final class SharedSuite implements BeforeAllCallback {

    /** The lock every class on the shared suite holds ({@link OnSharedSuite}): one such class at a time. */
    static final String LOCK = "shared-suite";
    static final String CONSOLE_PASSWORD = "console-" + java.util.UUID.randomUUID();
    /** The webhook grace period here: long enough that a page reload on a loaded machine is well inside it. */
    static final Duration WEBHOOK_GRACE = Duration.ofSeconds(5);
    /**
     * The gateways' lease here: twice the default, so that a gateway stalled 2 s (GatewayFaultsIT) is well inside it
     * even on a loaded machine; how fast a dead gateway's members go with the default is a benchmark figure.
     */
    static final Duration LEASE_TTL = Duration.ofSeconds(6);
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedSuite.class);

    private static volatile Running running;

    /** The suite and its receiver, closed by JUnit after the last test (an AutoCloseable in the root store). */
    private record Running(ServiceSuite suite, WebhookReceiver receiver) implements AutoCloseable {

        @Override
        public void close() throws Exception {
            try {
                suite.close();
            } finally {
                receiver.close();
            }
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        running = context.getRoot().getStore(NAMESPACE).computeIfAbsent(Running.class, key -> start(), Running.class);
        List<String> restarted = running.suite().heal();
        if (!restarted.isEmpty()) {
            System.out.println("[shared suite] started again before " + context.getDisplayName() + ": " + restarted);
        }
    }

    private static Running start() {
        WebhookReceiver receiver = new WebhookReceiver("app-id", "app-key", "app-secret");
        try {
            Map<String, String> everywhere = Map.of(
                    "PUSHER_WEBHOOK_URLS", receiver.url(),
                    "PRESENCE_WEBHOOKS_GRACE", WEBHOOK_GRACE.toSeconds() + "s",
                    "PRESENCE_WEBHOOKS_INITIAL_BACKOFF", "200ms",
                    "PRESENCE_WEBHOOKS_MAX_BACKOFF", "1s",
                    "PRESENCE_WEBHOOKS_SUBSCRIPTION_COUNT_INTERVAL", "500ms",
                    "PRESENCE_CONSOLE_PASSWORD", CONSOLE_PASSWORD,
                    "PRESENCE_STORE_LEASE_TTL", LEASE_TTL.toSeconds() + "s");
            ServiceSuite suite = ServiceSuite.onDiscoveredStores("shared", null).proxied().withEnvironment(everywhere);
            suite.startAll(Map.of());
            suite.startGateway("gateway-b", Map.of());
            suite.awaitReady();
            return new Running(suite, receiver);
        } catch (Exception e) {
            receiver.close();
            throw new IllegalStateException("the shared suite did not start: " + e, e);
        }
    }

    /** The shared suite (inside a class extended with this). */
    static ServiceSuite suite() {
        return running.suite();
    }

    /** The first gateway, on the suite's gateway port. */
    static ServiceProcess gateway() {
        return suite().service("gateway-service");
    }

    /** The second gateway, on the same Redis and backends. */
    static ServiceProcess gatewayB() {
        return suite().service("gateway-b");
    }

    /** The webhook receiver every app webhook of the suite goes to. */
    static WebhookReceiver receiver() {
        return running.receiver();
    }
}
