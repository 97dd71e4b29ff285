package io.presence.gateway.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.presence.common.event.ChannelEvent;
import io.presence.common.event.ControlCommand;
import io.presence.common.event.Event;
import io.presence.common.store.PresenceSchema;
import io.presence.gateway.Markers;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Broker} does: a listened channel's events arrive once each, in order, with increasing sequence
 * numbers; nothing arrives for a channel after it is no longer listened to; commands reach the handlers; after the
 * bus was lost the handlers are told it is back, and it works again. "Nothing else" is shown by a marker published
 * after, never by a clock.
 */
abstract class BrokerContract {

    private static final String APP = "app";

    /** What reached the handler: an event on a bus channel, or a command (bus and event null). */
    record Arrival(String bus, Event event, ControlCommand command) {

        String name() {
            return ((ChannelEvent) event).name();
        }
    }

    private final BlockingQueue<Arrival> arrivals = new LinkedBlockingQueue<>();
    private final Semaphore restores = new Semaphore(0);
    private String clientName;
    private Broker broker;

    /** A new broker whose connections (if any) are named {@code clientName}. */
    abstract Broker create(String clientName);

    /** Where the broker's bus channels are named. */
    abstract PresenceSchema schema();

    /** Cuts every connection of the broker under test; answers how many restores follow (one per way it connects). */
    abstract int cut(Broker broker, String clientName) throws Exception;

    /** A new channel whose events arrive on the same connection as {@code channel}'s, so a marker on it comes after them. */
    String channelBeside(String channel) throws Exception {
        return newChannel();
    }

    @BeforeEach
    void start() {
        clientName = "broker-contract-" + UUID.randomUUID();
        broker = create(clientName);
        broker.register(new Broker.Handler() {
            @Override
            public void onEvent(String bus, Event event) {
                arrivals.add(new Arrival(bus, event, null));
            }

            @Override
            public void onCommand(ControlCommand command) {
                arrivals.add(new Arrival(null, null, command));
            }

            @Override
            public void onRestored() {
                restores.release();
            }
        }).await().atMost(Markers.WAIT);
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void aListenedChannelsEventsArriveOnceEachInOrderWithIncreasingSequenceNumbers() throws Exception {
        String channel = newChannel();
        broker.listen(bus(channel)).await().atMost(Markers.WAIT);
        List<Uni<Long>> published = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            names.add("event-" + i);
            published.add(broker.publish(APP, channel, ChannelEvent.server("event-" + i, "{}", null)));
        }
        List<Long> numbers = new ArrayList<>();
        for (Uni<Long> seq : published) {
            numbers.add(seq.await().atMost(Markers.WAIT));
        }

        List<Arrival> arrived = untilMarker(channel);
        assertEquals(names, arrived.stream().map(Arrival::name).toList(), "each once, in order");
        assertEquals(numbers, arrived.stream().map(a -> a.event().seq()).toList(), "with the numbers publishing answered");
        arrived.forEach(a -> assertEquals(bus(channel), a.bus()));
        for (int i = 1; i < numbers.size(); i++) {
            assertTrue(numbers.get(i) > numbers.get(i - 1), "increasing: " + numbers);
        }
    }

    @Test
    void nothingArrivesForAChannelNoLongerListenedTo() throws Exception {
        String gone = newChannel();
        String kept = channelBeside(gone);
        broker.listen(bus(gone)).await().atMost(Markers.WAIT);
        broker.listen(bus(kept)).await().atMost(Markers.WAIT);
        publish(gone, "before");
        assertEquals(List.of("before"), untilMarker(gone).stream().map(Arrival::name).toList());

        broker.stopListening(bus(gone));
        publish(gone, "after");
        assertEquals(List.of(), untilMarker(kept), "the marker on the other channel, published after, comes alone");
    }

    @Test
    void commandsReachTheHandlersOnceEachInOrder() {
        ControlCommand first = new ControlCommand.BlocksChanged("user-" + UUID.randomUUID());
        ControlCommand second = new ControlCommand.TerminateConnections(APP, "user-" + UUID.randomUUID());
        broker.command(first).await().atMost(Markers.WAIT);
        broker.command(second).await().atMost(Markers.WAIT);
        assertEquals(List.of(first, second), List.of(next().command(), next().command()));
    }

    @Test
    void afterTheBusWasLostTheHandlersAreToldAndItWorksAgain() throws Exception {
        String channel = newChannel();
        broker.listen(bus(channel)).await().atMost(Markers.WAIT);
        publish(channel, "before");
        assertEquals(List.of("before"), untilMarker(channel).stream().map(Arrival::name).toList());

        int expected = cut(broker, clientName);
        assertTrue(restores.tryAcquire(expected, Markers.WAIT.toSeconds(), TimeUnit.SECONDS), "restored " + expected + " times");

        publish(channel, "after");
        assertEquals(List.of("after"), untilMarker(channel).stream().map(Arrival::name).toList());
        ControlCommand command = new ControlCommand.BlocksChanged("user-" + UUID.randomUUID());
        broker.command(command).await().atMost(Markers.WAIT);
        assertEquals(command, next().command());
    }

    /** The ids of the connections named {@code name} in a CLIENT LIST answer. */
    static List<String> idsNamed(String clientList, String name) {
        List<String> ids = new ArrayList<>();
        for (String line : clientList.split("\n")) {
            if (line.contains(" name=" + name + " ")) {
                int id = line.indexOf("id=") + 3;
                ids.add(line.substring(id, line.indexOf(' ', id)));
            }
        }
        return ids;
    }

    static String newChannel() {
        return "contract-" + UUID.randomUUID();
    }

    String bus(String channel) {
        return schema().busChannel(APP, channel);
    }

    private long publish(String channel, String name) {
        return broker.publish(APP, channel, ChannelEvent.server(name, "{}", null)).await().atMost(Markers.WAIT);
    }

    /** Publishes a marker on the channel and answers everything that arrived before it. */
    private List<Arrival> untilMarker(String channel) {
        String marker = "marker-" + UUID.randomUUID();
        publish(channel, marker);
        List<Arrival> before = new ArrayList<>();
        while (true) {
            Arrival arrival = next();
            if (arrival.event() instanceof ChannelEvent e && e.name().equals(marker)) {
                assertEquals(bus(channel), arrival.bus());
                return before;
            }
            before.add(arrival);
        }
    }

    private Arrival next() {
        try {
            Arrival arrival = arrivals.poll(Markers.WAIT.toSeconds(), TimeUnit.SECONDS);
            assertNotNull(arrival, "nothing arrived within " + Markers.WAIT);
            return arrival;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
