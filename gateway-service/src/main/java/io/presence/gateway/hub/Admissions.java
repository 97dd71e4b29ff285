package io.presence.gateway.hub;

import io.presence.common.event.ChannelEvent;
import io.presence.common.presence.PresenceDiff.Viewer;
import io.presence.common.pusher.Channels;
import io.presence.common.store.MemberState;
import io.presence.gateway.protocol.Frames;
import java.util.ArrayList;
import java.util.HashMap;
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
        Resume resume;

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
    /** Live subscribers whose missed events are being read back: their later frames wait in a {@link Held}. */
    private final Map<Recipient, Held> held = new HashMap<>();
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
        return live.containsKey(key(recipient));
    }

    /** A live subscriber's point of view, or null. */
    Viewer viewer(Recipient recipient) {
        return live.get(key(recipient));
    }

    /** A live subscriber's new point of view. */
    void setViewer(Recipient recipient, Viewer viewer) {
        live.put(key(recipient), viewer);
    }

    /** How a subscriber is keyed among the live ones: by its {@link Held} while its missed events are read back. */
    private Recipient key(Recipient recipient) {
        Held h = held.get(recipient);
        return h == null ? recipient : h;
    }

    /** Where a live subscriber's frames go now: the subscriber, or its {@link Held} while its missed events are read back. */
    Recipient target(Recipient recipient) {
        return key(recipient);
    }

    /** True while the subscriber's missed events are read back (its live frames wait). */
    boolean holding(Recipient recipient) {
        return held.containsKey(recipient);
    }

    /**
     * The missed events were sent: the frames that waited meanwhile follow, in order, and the subscriber gets the
     * channel's frames directly again. False when more waited than {@link #MAX_HELD} (they were dropped: the caller
     * reports the gap).
     */
    boolean release(Recipient recipient) {
        Held h = held.remove(recipient);
        if (h == null) {
            return true;
        }
        Viewer viewer = live.remove(h);
        if (!h.overflowed) {
            h.pending.forEach(Runnable::run);
        }
        if (viewer != null) {
            live.put(recipient, viewer);
        }
        return !h.overflowed;
    }

    /** Adds a waiting subscriber (its number unknown yet) unless it is known already. */
    void expect(Recipient recipient) {
        if (!isLive(recipient) && find(recipient) == null) {
            waiting.add(new Admission(recipient));
        }
    }

    /** Sets what a subscriber waits for (adding it if needed); null if it is live already. */
    Admission await(Recipient recipient, Viewer viewer, long minSeq, MemberState self, boolean quiet, Resume resume) {
        Admission admission = find(recipient);
        if (admission == null) {
            if (isLive(recipient)) {
                return null;
            }
            admission = new Admission(recipient);
            waiting.add(admission);
        }
        admission.viewer = viewer;
        admission.minSeq = Math.max(0, minSeq);
        admission.self = self;
        admission.quiet = quiet;
        admission.resume = resume;
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
            if (a.resume != null && !a.resume.expired() && a.resume.after() < seq) {
                Held h = new Held(a.recipient);
                held.put(a.recipient, h);
                live.put(h, a.viewer);
            } else {
                live.put(a.recipient, a.viewer);
            }
            welcome.accept(a);
        }
    }

    /** Forgets a subscriber, admitted or not. */
    void remove(Recipient recipient) {
        live.remove(key(recipient));
        held.remove(recipient);
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
                r.deliver(channel, event, frame);
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

    /** Most frames that wait for one resumed subscriber while its missed events are read back. */
    static final int MAX_HELD = 10_000;

    /** A resumed subscriber's place among the live ones while its missed events are read back: its frames wait here. */
    private static final class Held implements Recipient {
        final Recipient real;
        final List<Runnable> pending = new ArrayList<>();
        boolean overflowed;

        Held(Recipient real) {
            this.real = real;
        }

        @Override
        public String socketId() {
            return real.socketId();
        }

        @Override
        public void send(Frame frame) {
            hold(() -> real.send(frame));
        }

        @Override
        public void deliver(String channel, ChannelEvent event, Frame frame) {
            hold(() -> real.deliver(channel, event, frame));
        }

        private void hold(Runnable frame) {
            if (pending.size() >= MAX_HELD) {
                overflowed = true;
                pending.clear();
            } else if (!overflowed) {
                pending.add(frame);
            }
        }

        @Override
        public void observedSelf(String userId, MemberState state) {
            real.observedSelf(userId, state);
        }
    }
}
