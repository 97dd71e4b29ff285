package io.presence.common.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pusher.rest.Pusher;
import com.pusher.rest.data.Validity;
import com.sun.net.httpserver.HttpServer;
import io.presence.common.pusher.PusherApp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP webhook receiver on a free loopback port: it checks every request's signature twice (with the Pusher
 * server SDK's own validation, and by recomputing the HMAC of the raw body), records every body, can refuse the
 * first requests with 500 to see the retries, and can hold requests unanswered (a slow receiver) until released.
 */
public final class WebhookReceiver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as received. */
    public record Received(String key, String signature, String body, boolean sdkValid, boolean hmacValid, int answered) {
    }

    private final HttpServer server;
    private final Pusher sdk;
    private final PusherApp app;
    private final List<Received> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger refuseNext = new AtomicInteger();
    /** Open while requests are answered at once; a held receiver waits on it (one request at a time). */
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private final AtomicInteger waiting = new AtomicInteger();

    public WebhookReceiver(String appId, String key, String secret) {
        this.app = new PusherApp(appId, key, secret);
        this.sdk = new Pusher(appId, key, secret);
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/hooks", exchange -> {
            waiting.incrementAndGet();
            try {
                gate.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            waiting.decrementAndGet();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String givenKey = exchange.getRequestHeaders().getFirst("X-Pusher-Key");
            String signature = exchange.getRequestHeaders().getFirst("X-Pusher-Signature");
            boolean sdkValid = sdk.validateWebhookSignature(givenKey, signature, body) == Validity.VALID;
            boolean hmacValid = signature != null && signature.equals(app.sign(body));
            int status = refuseNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? 500 : 200;
            requests.add(new Received(givenKey, signature, body, sdkValid, hmacValid, status));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    /** The URL to configure as a webhook receiver. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
    }

    /** The next {@code n} requests are answered 500. */
    public void refuse(int n) {
        refuseNext.set(n);
    }

    /** Requests from now on wait unanswered until {@link #release()} (at most a minute). */
    public void hold() {
        gate = new CountDownLatch(1);
    }

    /** Answers the held request and every later one at once again. */
    public void release() {
        gate.countDown();
    }

    /** Requests arrived and waiting for {@link #release()}. */
    public int held() {
        return waiting.get();
    }

    public List<Received> requests() {
        return List.copyOf(requests);
    }

    /** The events of every accepted (200) body, in the order received, as "name channel user" ("name channel" without a user). */
    public List<String> accepted() {
        List<String> events = new ArrayList<>();
        for (JsonNode event : acceptedEvents()) {
            String user = event.path("user_id").asText("");
            events.add((event.path("name").asText() + " " + event.path("channel").asText() + " " + user).trim());
        }
        return events;
    }

    /** The event objects of every accepted body, in order. */
    public List<JsonNode> acceptedEvents() {
        List<JsonNode> events = new ArrayList<>();
        for (Received r : requests) {
            if (r.answered() == 200) {
                try {
                    JSON.readTree(r.body()).get("events").forEach(events::add);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return events;
    }

    /** True when every request so far carried the app key and a valid signature. */
    public boolean allSigned() {
        return requests.stream().allMatch(r -> app.key().equals(r.key()) && r.sdkValid() && r.hmacValid());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
