package io.presence.common.pusher;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where one app's webhooks go, and which kinds it wants.
 *
 * @param urls   the receivers; every event goes to each of them
 * @param events the webhook names wanted ({@link #KINDS} when the app did not choose)
 */
public record Webhooks(List<String> urls, Set<String> events) {

    public static final String CHANNEL_OCCUPIED = "channel_occupied";
    public static final String CHANNEL_VACATED = "channel_vacated";
    public static final String MEMBER_ADDED = "member_added";
    public static final String MEMBER_REMOVED = "member_removed";
    public static final String CLIENT_EVENT = "client_event";
    public static final String CACHE_MISS = "cache_miss";
    public static final String SUBSCRIPTION_COUNT = "subscription_count";

    /** Every kind of webhook, as Pusher names them. */
    public static final Set<String> KINDS = Set.of(CHANNEL_OCCUPIED, CHANNEL_VACATED, MEMBER_ADDED, MEMBER_REMOVED, CLIENT_EVENT,
            CACHE_MISS, SUBSCRIPTION_COUNT);

    public static final Webhooks NONE = new Webhooks(List.of(), Set.of());

    public Webhooks {
        urls = List.copyOf(urls);
        events = Set.copyOf(events);
        for (String e : events) {
            if (!KINDS.contains(e)) {
                throw new IllegalArgumentException("unknown webhook '" + e + "'; known: " + KINDS);
            }
        }
    }

    static Webhooks of(Optional<List<String>> urls, Optional<List<String>> events) {
        List<String> targets = urls.orElse(List.of()).stream().map(String::trim).filter(u -> !u.isEmpty()).toList();
        if (targets.isEmpty()) {
            return NONE;
        }
        Set<String> wanted = events.map(list -> Set.copyOf(list.stream().map(String::trim).filter(e -> !e.isEmpty()).toList()))
                .filter(set -> !set.isEmpty()).orElse(KINDS);
        return new Webhooks(targets, wanted);
    }

    /** True when some receiver wants this kind. */
    public boolean wants(String kind) {
        return !urls.isEmpty() && events.contains(kind);
    }
}
