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
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The unread counts that sent messages change, told to each reader on their own channel once per interval
 * ({@code messages.send.unread-interval}) rather than once per message: a busy room of 50 members costs one count
 * query and 50 events per interval, not per message. Counts are read after the messages committed, so each event
 * holds every message committed before it; a cursor move tells its reader at once ({@link Notices#read}).
 */
@ApplicationScoped
public class UnreadCounts {

    private static final Logger LOG = Logger.getLogger(UnreadCounts.class);

    private final MessageWrites writes;
    private final RealtimePublisher realtime;
    private final MessageConfig config;
    /** Places with new messages since the last round, with who wrote them. */
    private final Map<Place, Set<Long>> changed = new ConcurrentHashMap<>();
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
        Map<Long, Long> counts;
        try (MessageWrites.Batch tx = writes.begin()) {
            counts = tx.unread(place, config.unreadCap());
            tx.commit();
        }
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
}
