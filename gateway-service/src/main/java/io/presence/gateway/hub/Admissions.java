package io.presence.gateway.hub;

import io.presence.common.event.ChannelEvent;
import io.presence.common.presence.PresenceDiff.Viewer;
import io.presence.common.pusher.Channels;
import io.presence.common.store.MemberState;
import io.presence.gateway.protocol.Frames;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A channel's subscribers: those waiting to be admitted (until the channel caught up with the number their
 * subscription needs) and the live ones with their point of view, who get each channel event they may see; for a
 * cache channel also its last stored event,
 * sent right after {@code subscription_succeeded}, or {@code pusher:cache_miss}.
 *
 * <p>Not thread-safe: every method is called under the owning {@link LocalChannel}'s lock.
 */
final class Admissions {

    /** A subscriber waiting to be admitted; {@code minSeq} is unknown (-1) until its subscription is ready. */
    static final class Admission {
        final Recipient recipient;
        Viewer viewer;
        long minSeq = -1;
        MemberState self;
        boolean quiet;

        Admission(Recipient recipient) {
            this.recipient = recipient;
        }
    }

    private final String appId;
    private final String channel;
    private final boolean cache;
    private final Frames frames;
    private final DeliveryMetrics metrics;
    private final LocalChannel.CacheMisses cacheMisses;
    private final Map<Recipient, Viewer> live = new LinkedHashMap<>();
    private final List<Admission> waiting = new ArrayList<>();
    private long emptySince = System.nanoTime();
    /** A cache channel's last stored event, and when this gateway got it (System.nanoTime). */
    private ChannelEvent cached;
    private long cachedAt;

    Admissions(String appId, String channel, Frames frames, DeliveryMetrics metrics, LocalChannel.CacheMisses cacheMisses) {
        this.appId = appId;
        this.channel = channel;
        this.cache = Channels.isCache(channel);
        this.frames = frames;
        this.metrics = metrics;
        this.cacheMisses = cacheMisses;
    }

    /** The live subscribers and what each may see; the caller only reads it. */
    Map<Recipient, Viewer> live() {
        return live;
    }

    boolean isLive(Recipient recipient) {
        return live.containsKey(recipient);
    }

    /** A live subscriber's point of view, or null. */
    Viewer viewer(Recipient recipient) {
        return live.get(recipient);
    }

    /** A live subscriber's new point of view. */
    void setViewer(Recipient recipient, Viewer viewer) {
        live.put(recipient, viewer);
    }

    /** Adds a waiting subscriber (its number unknown yet) unless it is known already. */
    void expect(Recipient recipient) {
        if (!live.containsKey(recipient) && find(recipient) == null) {
            waiting.add(new Admission(recipient));
        }
    }

    /** Sets what a subscriber waits for (adding it if needed); null if it is live already. */
    Admission await(Recipient recipient, Viewer viewer, long minSeq, MemberState self, boolean quiet) {
        Admission admission = find(recipient);
        if (admission == null) {
            if (live.containsKey(recipient)) {
                return null;
            }
            admission = new Admission(recipient);
            waiting.add(admission);
        }
        admission.viewer = viewer;
        admission.minSeq = Math.max(0, minSeq);
        admission.self = self;
        admission.quiet = quiet;
        return admission;
    }

    /** The waiting subscriber's admission, or null. */
    Admission find(Recipient recipient) {
        for (Admission a : waiting) {
            if (a.recipient == recipient) {
                return a;
            }
        }
        return null;
    }

    boolean isWaiting(Admission admission) {
        return waiting.contains(admission);
    }

    /** Moves each waiting subscriber whose number is at most {@code seq} to the live ones, then hands it to welcome. */
    void admitUpTo(long seq, Consumer<Admission> welcome) {
        if (waiting.isEmpty()) {
            return;
        }
        for (Iterator<Admission> it = waiting.iterator(); it.hasNext(); ) {
            Admission a = it.next();
            if (a.minSeq < 0 || a.minSeq > seq) {
                continue;
            }
            it.remove();
            live.put(a.recipient, a.viewer);
            welcome.accept(a);
        }
    }

    /** Forgets a subscriber, admitted or not. */
    void remove(Recipient recipient) {
        live.remove(recipient);
        waiting.removeIf(a -> a.recipient == recipient);
        if (live.isEmpty() && waiting.isEmpty()) {
            emptySince = System.nanoTime();
        }
    }

    /** True when nobody has been subscribed for at least {@code nanos}. */
    boolean emptyFor(long nanos, long now) {
        return live.isEmpty() && waiting.isEmpty() && now - emptySince >= nanos;
    }

    /** Sends a channel event to every live subscriber that may receive it (its frame encoded once); keeps it if durable. */
    void deliver(ChannelEvent event) {
        if (event.durable()) {
            stored(event);
        }
        Frame frame = null;
        for (Map.Entry<Recipient, Viewer> subscriber : live.entrySet()) {
            Recipient r = subscriber.getKey();
            Viewer viewer = subscriber.getValue();
            if (event.isFor(r.socketId(), viewer.userId(), viewer.hiddenBy())) {
                if (frame == null) {
                    frame = new Frame(frames.channelEvent(channel, event));
                }
                r.deliver(event, frame);
                metrics.delivered();
            }
        }
    }

    /** Sends one frame to every live subscriber. */
    void sendToLive(Frame frame) {
        live.keySet().forEach(r -> r.send(frame));
    }

    /** A durable event of the channel (or the one the first read found): kept if this is a cache channel. */
    void stored(ChannelEvent event) {
        if (cache && event != null) {
            cached = event;
            cachedAt = System.nanoTime();
        }
    }

    /** Right after a cache channel's subscription_succeeded: its last event, or pusher:cache_miss; nothing elsewhere. */
    void sendCached(Recipient recipient) {
        if (!cache) {
            return;
        }
        if (cached != null && System.nanoTime() - cachedAt < Channels.CACHE_TTL.toNanos()) {
            recipient.send(frames.channelEvent(channel, cached));
            metrics.delivered();
        } else {
            recipient.send(frames.cacheMiss(channel));
            cacheMisses.cacheMiss(appId, channel);
        }
    }
}
