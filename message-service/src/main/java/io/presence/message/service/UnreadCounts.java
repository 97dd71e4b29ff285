package io.presence.message.service;

import io.presence.common.pusher.Channels;
import io.presence.common.schedule.RepeatingTask;
import io.presence.message.config.MessageConfig;
import io.presence.message.model.Place;
import io.presence.message.repository.MessageWrites;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The unread counts that sent messages change, told to each reader on their own channel once per interval
 * ({@code messages.send.unread-interval}) rather than once per message: a busy room of 50 members costs one count
 * query and 50 events per interval, not per message. Counts are read after the messages committed, so each event
 * holds every message committed before it; a cursor move tells its reader at once ({@link Notices#read}).
 * <p>
 * A reader last told the cap ({@code messages.unread-cap}) is not counted again while that is fresh ({@link #CAPPED_FOR}):
 * more messages cannot change what they were told, so a room full of readers far behind costs no count at all. Their
 * own cursor move or a deleted message in the place ({@link #read}, {@link #deleted}) ends it at once on this replica;
 * the expiry bounds how long such a change made on another replica goes unnoticed.
 */
@ApplicationScoped
public class UnreadCounts {

    private static final Logger LOG = Logger.getLogger(UnreadCounts.class);
    /** How long a reader told the cap is not counted again. */
    static final Duration CAPPED_FOR = Duration.ofSeconds(5);

    private final MessageWrites writes;
    private final RealtimePublisher realtime;
    private final MessageConfig config;
    /** Places with new messages since the last round, with who wrote them. */
    private final Map<Place, Set<Long>> changed = new ConcurrentHashMap<>();
    /** Per place, the readers last told the cap, with when they were first told it (System.nanoTime). */
    private final Map<Place, Map<Long, Long>> capped = new ConcurrentHashMap<>();
    /** Counts up on every {@link #read} and {@link #deleted}: a round that saw it change keeps no reader of its place capped. */
    private final AtomicLong forgets = new AtomicLong();
    private RepeatingTask task;

    public UnreadCounts(MessageWrites writes, RealtimePublisher realtime, MessageConfig config) {
        this.writes = writes;
        this.realtime = realtime;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        task = RepeatingTask.start("unread-counts", config.send().unreadInterval(), config.send().unreadInterval(), this::tell);
    }

    void stop(@Observes ShutdownEvent event) {
        if (task != null) {
            task.close();
        }
    }

    /** Messages by these writers committed in the place: its readers hear their new counts in the next round. */
    public void posted(Place place, Set<Long> writers) {
        changed.merge(place, Set.copyOf(writers), (a, b) -> {
            Set<Long> both = new HashSet<>(a);
            both.addAll(b);
            return both;
        });
    }

    /** The reader's cursor moved in the place: count them again in the next round. */
    public void read(Place place, long reader) {
        forgets.incrementAndGet();
        Map<Long, Long> readers = capped.get(place);
        if (readers != null) {
            readers.remove(reader);
        }
    }

    /** A message of the place was deleted: count every reader again in the next round. */
    public void deleted(Place place) {
        forgets.incrementAndGet();
        capped.remove(place);
    }

    private void tell() {
        for (Place place : Set.copyOf(changed.keySet())) {
            Set<Long> writers = changed.remove(place);
            if (writers == null) {
                continue;
            }
            try {
                tell(place, writers);
            } catch (SQLException | RuntimeException e) {
                LOG.warnf("unread counts of %s not told (next message retries): %s", place, e.toString());
                posted(place, writers);
            }
        }
    }

    private void tell(Place place, Set<Long> writers) throws SQLException {
        long forgotten = forgets.get();
        long now = System.nanoTime();
        Map<Long, Long> known = capped.getOrDefault(place, Map.of());
        Set<Long> skipped = new HashSet<>();
        known.forEach((reader, since) -> {
            if (now - since < CAPPED_FOR.toNanos()) {
                skipped.add(reader);
            }
        });
        Map<Long, Long> counts;
        try (MessageWrites.Batch tx = writes.begin()) {
            counts = tx.unread(place, config.unreadCap(), skipped);
            tx.commit();
        }
        remember(place, counts, skipped, forgotten, now);
        for (Map.Entry<Long, Long> count : counts.entrySet()) {
            long reader = count.getKey();
            if (writers.size() == 1 && writers.contains(reader)) {
                continue; // their own messages change nothing for them
            }
            Notices.Unread data = place.isRoom() ? new Notices.Unread(place.roomId(), null, count.getValue())
                    : new Notices.Unread(null, writers.stream().filter(w -> w != reader).findFirst().orElse(reader), count.getValue());
            RealtimeEvent notice = new RealtimeEvent(Channels.userChannel(reader), RealtimeEvent.UNREAD, data);
            realtime.release(realtime.reserve(notice.channel()), notice);
        }
    }

    /**
     * Keeps the place's fresh capped readers and those just counted at the cap; when a forget happened meanwhile, none
     * (the place's readers are all counted in its next round).
     */
    private void remember(Place place, Map<Long, Long> counts, Set<Long> skipped, long forgotten, long now) {
        Map<Long, Long> readers = new ConcurrentHashMap<>();
        capped.getOrDefault(place, Map.of()).forEach((reader, since) -> {
            if (skipped.contains(reader)) {
                readers.put(reader, since);
            }
        });
        counts.forEach((reader, count) -> {
            if (count >= config.unreadCap()) {
                readers.put(reader, now);
            }
        });
        if (readers.isEmpty()) {
            capped.remove(place);
        } else {
            capped.put(place, readers);
        }
        if (forgets.get() != forgotten) {
            capped.remove(place);
        }
    }
}
