package io.presence.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.presence.systemtest.bench.ServerCost;
import io.presence.testsupport.WireSocket;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Issue 26, point 2, on a gateway process of its own: hundreds of sockets, each sending one multi-megabyte frame before
 * subscribing to anything, all at once, leave the gateway's RSS (/proc/pid/status VmRSS, sampled every 10 ms) under
 * 64 MiB above what it was, and its legitimate clients connected: a client event between two of them and a new
 * connection go through during the flood. Netty refuses each frame at its header (over 16 KiB), so none is read.
 * Sizes by system property, for a bigger run than CI's: {@code flood.sockets} (300), {@code flood.mib} (1 and 4,
 * alternating); {@code flood.env} (e.g. {@code QUARKUS_WEBSOCKETS_NEXT_SERVER_MAX_FRAME_SIZE=16777216}) sets the
 * gateway up otherwise, to measure what it was before (docs/benchmarks.md).
 */
@OnSharedSuite
class FrameFloodIT {

    private static final long MIB = 1024 * 1024;
    private static final long RSS_BOUND_MIB = 64;
    /** The payload, written again and again: one buffer for every socket, so this JVM's memory stays small. */
    private static final byte[] CHUNK = new byte[64 * 1024];

    @Test
    void aFloodOfMultiMegabyteFramesLeavesMemoryBoundedAndLegitimateClientsServed() throws Exception {
        int sockets = Integer.getInteger("flood.sockets", 300);
        List<Integer> sizes = new ArrayList<>();
        for (String mib : System.getProperty("flood.mib", "1,4").split(",")) {
            sizes.add(Integer.parseInt(mib.trim()));
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (String setting : System.getProperty("flood.env", "").split(",")) {
            if (setting.contains("=")) {
                env.put(setting.substring(0, setting.indexOf('=')), setting.substring(setting.indexOf('=') + 1));
            }
        }
        ServiceSuite suite = SharedSuite.suite();
        ServiceProcess gateway = suite.startGateway("gateway-flood", env);
        ExecutorService pool = Executors.newCachedThreadPool();
        try {
            gateway.awaitReady(RawSocket.WAIT);
            String channel = "private-flood-" + UUID.randomUUID();
            RawSocket ana = new RawSocket(gateway.port);
            RawSocket bob = new RawSocket(gateway.port);
            ana.subscribePrivate(channel);
            bob.subscribePrivate(channel);
            for (int i = 0; i < 8; i++) { // the legitimate path warm (within the app's 10 client events a second)
                roundTrip(ana, bob, channel, "warm-" + i);
            }
            long baseline = ServerCost.rssKb(gateway.pid());

            // every flooding socket connected first (from ten addresses), then all send at once
            List<WireSocket> flood = new ArrayList<>();
            for (int i = 0; i < sockets; i++) {
                flood.add(WireSocket.connect("127.0.2." + (1 + i % 10), gateway.port));
            }
            AtomicLong peak = new AtomicLong(baseline);
            CountDownLatch go = new CountDownLatch(1);
            Map<Integer, Integer> closes = new ConcurrentHashMap<>();
            List<Future<?>> sends = new ArrayList<>();
            for (int i = 0; i < sockets; i++) {
                WireSocket s = flood.get(i);
                long bytes = sizes.get(i % sizes.size()) * MIB;
                sends.add(pool.submit(() -> {
                    go.await();
                    try {
                        s.sendHeader(bytes);
                        for (long sent = 0; sent < bytes; sent += CHUNK.length) {
                            s.sendRaw(CHUNK);
                        }
                    } catch (IOException e) {
                        // refused before the payload was all written: the server closed the socket
                    }
                    closes.merge(s.awaitClose(), 1, Integer::sum);
                    return null;
                }));
            }
            CountDownLatch done = new CountDownLatch(1);
            Future<?> sampler = pool.submit(() -> {
                while (!done.await(10, TimeUnit.MILLISECONDS)) {
                    peak.accumulateAndGet(ServerCost.rssKb(gateway.pid()), Math::max);
                }
                return null;
            });
            long start = System.nanoTime();
            go.countDown();
            // during the flood: an event between two clients, and a new client connecting
            roundTrip(ana, bob, channel, "during");
            try (RawSocket newcomer = new RawSocket(gateway.port)) {
                newcomer.subscribePublic("public-flood");
            }
            for (Future<?> send : sends) {
                send.get(2, TimeUnit.MINUTES);
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            done.countDown();
            sampler.get(1, TimeUnit.MINUTES);
            peak.accumulateAndGet(ServerCost.rssKb(gateway.pid()), Math::max);
            roundTrip(ana, bob, channel, "after");

            long growthMib = (peak.get() - baseline) / 1024;
            System.out.printf("frame flood: %d sockets, frames of %s MiB, sent in %d ms; gateway RSS %d MiB before, peak %d MiB:"
                    + " +%d MiB; closes by code %s%n", sockets, sizes, millis, baseline / 1024, peak.get() / 1024, growthMib, closes);
            assertTrue(growthMib < RSS_BOUND_MIB, "RSS grew by " + growthMib + " MiB");
            assertFalse(closes.containsKey(-2), "every flooding socket was closed: " + closes);
            assertFalse(ana.closedByServer() || bob.closedByServer(), "the legitimate clients are still connected");
            assertNotEquals(0, closes.getOrDefault(1009, 0), "refused with 1009 (message too big): " + closes);
            assertEquals(sockets, closes.values().stream().mapToInt(Integer::intValue).sum());
        } finally {
            pool.shutdownNow();
            suite.discard("gateway-flood");
        }
    }

    /** A client event from ana reaches bob (a client event is never echoed to its sender). */
    private static void roundTrip(RawSocket ana, RawSocket bob, String channel, String text) throws Exception {
        ana.send(Map.of("event", "client-flood", "channel", channel, "data", Map.of("text", text)));
        assertEquals(text, RawSocket.data(bob.skipTo("client-flood")).get("text").asText());
    }
}
