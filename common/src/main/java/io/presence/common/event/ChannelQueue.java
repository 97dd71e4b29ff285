package io.presence.common.event;

import io.presence.common.store.PresenceSchema.ChannelKeys;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** One channel's events in order; guarded by the publisher's lock. */
final class ChannelQueue {
    /** The app whose channel it is (its retention applies). */
    final String appId;
    final ChannelKeys keys;
    /** How long the channel keeps its last stored event, in ms ("0": not a cache channel). */
    final String cacheTtl;
    final ArrayDeque<EventPublisher.Pending> waiting = new ArrayDeque<>();
    /** The events of the call in flight (a prefix of {@code waiting}). */
    final List<EventPublisher.Pending> sending = new ArrayList<>();

    ChannelQueue(String appId, ChannelKeys keys, String cacheTtl) {
        this.appId = appId;
        this.keys = keys;
        this.cacheTtl = cacheTtl;
    }
}
