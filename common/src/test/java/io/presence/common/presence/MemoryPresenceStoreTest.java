package io.presence.common.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.presence.common.event.MemberEvent;
import io.presence.common.store.PresenceSchema;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;

/** The presence contract in memory: the store announces before it answers, so what was not announced yet never will be. */
class MemoryPresenceStoreTest extends PresenceStoreContract {

    private final PresenceSchema schema = new PresenceSchema("memory-presence-test");
    /** What was announced on each bus channel being read, not read yet. */
    private final Map<String, Queue<MemberEvent>> read = new ConcurrentHashMap<>();
    private final MemoryPresenceStore store = new MemoryPresenceStore(MemberAnnouncer.counting(schema, (bus, event) -> {
        Queue<MemberEvent> queue = read.get(bus);
        if (queue != null) {
            synchronized (queue) {
                queue.add((MemberEvent) event);
            }
        }
    }));

    @Override
    PresenceStore store() {
        return store;
    }

    @Override
    Announcements announcements(String appId, String channel) {
        String bus = schema.busChannel(appId, channel);
        Queue<MemberEvent> queue = new ArrayDeque<>();
        read.put(bus, queue);
        return new Announcements() {
            @Override
            public MemberEvent next() {
                synchronized (queue) {
                    MemberEvent next = queue.poll();
                    assertNotNull(next, "nothing announced on " + bus);
                    return next;
                }
            }

            @Override
            public void expectNothing() {
                synchronized (queue) {
                    assertEquals(List.of(), List.copyOf(queue));
                }
            }

            @Override
            public void close() {
                read.remove(bus);
            }
        };
    }
}
