package io.presence.user.repository;

import io.presence.common.app.AppRegistry;
import io.presence.common.presence.UserSetMirror;
import io.presence.common.store.PresenceSchema;
import io.presence.common.store.PresenceStoreConfig;
import io.presence.user.model.ContactRequest;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.quarkus.scheduler.Scheduled;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Mirrors accepted contacts into the presence store ({@link PresenceSchema#contacts}, per user of the built-in app),
 * where {@link io.presence.common.presence.PresenceVisibility} reads who may see whom. Each change is written once
 * its transaction has committed (UserEvents calls it); a full resync at start-up and every few minutes repairs what a
 * Redis outage or restart lost.
 */
@ApplicationScoped
public class ContactMirror {

    /** Longest a change waits for Redis (the request that made it waits too); the resync repairs what failed. */
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final UserSetMirror sets;
    private final ContactRepository contacts;

    public ContactMirror(Redis redis, PresenceStoreConfig config, AppRegistry apps, ContactRepository contacts) {
        PresenceSchema schema = config.schema();
        String appId = apps.mainId();
        this.sets = new UserSetMirror(redis, schema.contactUsers(appId), user -> schema.contacts(appId, user), WAIT);
        this.contacts = contacts;
    }

    /** The two became contacts (committed). */
    public void began(long a, long b) {
        write(a, b, true);
    }

    /** The two are contacts no more (committed): removed, blocked, or an account deleted. */
    public void ended(long a, long b) {
        write(a, b, false);
    }

    private void write(long a, long b, boolean contacts) {
        sets.put(Long.toString(a), Long.toString(b), contacts);
        sets.put(Long.toString(b), Long.toString(a), contacts);
    }

    @Scheduled(every = "5m", concurrentExecution = ConcurrentExecution.SKIP)
    void resyncSafely() {
        sets.resyncSafely(this::table, this::contactsOf);
    }

    /** Makes every contacts set in Redis equal to the accepted relations; answers how many sets changed. */
    public int resync() {
        return sets.resync(table(), this::contactsOf);
    }

    /** Every user's contacts. */
    private Map<String, Set<String>> table() {
        Map<String, Set<String>> table = new HashMap<>();
        for (ContactRequest r : contacts.allAccepted()) {
            table.computeIfAbsent(r.requesterId.toString(), k -> new HashSet<>()).add(r.addresseeId.toString());
            table.computeIfAbsent(r.addresseeId.toString(), k -> new HashSet<>()).add(r.requesterId.toString());
        }
        return table;
    }

    /** One user's contacts, read now. */
    private Set<String> contactsOf(long id) {
        Set<String> others = new HashSet<>();
        contacts.acceptedOf(id).forEach(r -> others.add(Long.toString(r.other(id))));
        return others;
    }
}
