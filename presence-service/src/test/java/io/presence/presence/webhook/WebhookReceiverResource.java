package io.presence.presence.webhook;

import io.presence.common.testing.WebhookReceiver;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** A real webhook receiver for the development app, and the settings that point presence-service at it. */
public class WebhookReceiverResource implements QuarkusTestResourceLifecycleManager {

    static WebhookReceiver receiver;

    @Override
    public Map<String, String> start() {
        receiver = new WebhookReceiver("app-id", "app-key", "app-secret");
        return Map.of("pusher.webhook-urls", receiver.url(),
                "presence.webhooks.grace", "1s",
                "presence.webhooks.reorder-wait", "1s",
                "presence.webhooks.initial-backoff", "100ms",
                "presence.webhooks.max-backoff", "400ms",
                "presence.webhooks.retry-for", "3s",
                // small bounds, so the tests reach them: held receivers answer within this
                "presence.webhooks.request-timeout", "30s",
                "presence.webhooks.max-in-hand", Integer.toString(WebhookSenderTest.MAX_IN_HAND),
                "presence.webhooks.queue-length", Integer.toString(WebhookSenderTest.QUEUE_LENGTH));
    }

    @Override
    public void stop() {
        receiver.close();
    }
}
