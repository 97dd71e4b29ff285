package io.presence.gateway.ws;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.presence.common.app.App;
import io.presence.common.event.ChannelEvent;
import io.presence.common.presence.WatchlistEvents;
import io.presence.common.store.MemberState;
import io.presence.gateway.hub.Frame;
import io.presence.gateway.hub.LocalChannel;
import io.presence.gateway.hub.Recipient;
import io.presence.gateway.hub.Resume;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One client socket: its app, socket id, subscriptions (with the presence user per channel), who it is for the
 * visibility rules (its presence user, else its signed-in user), what it last knew of its own member state, and
 * its liveness.
 */
public final class ClientConnection implements Recipient {

    /** A subscription: the local channel, and for presence channels the user this connection joined as. */
    record Subscription(LocalChannel channel, String presenceUser) {
    }

    private final WebSocketConnection socket;
    /** Where frames are written, and the outbox of its event loop; null where websockets-next hides the channel. */
    private final ChannelHandlerContext channel;
    private final Outbox outbox;
    /** Set once a close is queued: frames queued after it are dropped. */
    private volatile boolean closing;
    /** Set when a drain holds its frames back (they reach the client by resume instead): frames are dropped. */
    private volatile boolean held;
    /** Written since the outbox's last flush; the event loop's thread only. */
    private boolean unflushed;
    /** Its app as last changed in the store (a rotated secret, new limits); see AppLifecycle. */
    private volatile App app;
    private final String socketId;
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    /** Per user this connection is: the users who blocked them (their presence never reaches this connection). */
    private final Map<String, Set<String>> blockersByUser = new ConcurrentHashMap<>();
    /** Per user this connection is: their member state as last stored (status and its version). */
    private final Map<String, MemberState> selves = new ConcurrentHashMap<>();
    private final SocketActivity activity = new SocketActivity();
    private volatile String signedInUserId;
    /** The signed-in user's watchlist (null when not signed in), and what starts it once its channel is live. */
    private volatile Watchlist watchlist;
    private volatile Runnable onUserChannelLive;
    /** Whether it ever subscribed or signed in (see the first-subscription timeout). */
    private volatile boolean joined;
    private final SocketBudgets budgets = new SocketBudgets();
    /** The client id of a resumable socket ({@code /c/<clientId>/app/<key>}), else null. */
    private final String clientId;
    /** What its client acknowledged per channel; null unless resumable. */
    private final Receipts receipts;
    /** Where its channels pick up when subscribed again (from the client's previous socket); consumed per channel. */
    private final Map<String, Resume> resumable = new ConcurrentHashMap<>();
    /** Resumes taken by a subscription not admitted yet: kept (and recorded) until it is. */
    private final Map<String, Resume> pendingResumes = new ConcurrentHashMap<>();
    /** Whether it read its client's record (until then, closing must not replace the record's positions). */
    private volatile boolean loaded;
    /** Whether its client's previous socket could not be found out (its gateway died, Redis failed): every channel is told events_missed. */
    private volatile boolean predecessorUnknown;
    /** Its positions' recording, once started (on drain, takeover or close): started once, awaited by whoever needs it. */
    private final java.util.concurrent.atomic.AtomicReference<Uni<Void>> recording = new java.util.concurrent.atomic.AtomicReference<>();
    /** Most frames kept from before it was established. */
    private static final int MAX_EARLY_FRAMES = 64;
    /** Frames that came before it was established (a resumable socket taking over its record): run once it is. */
    private List<Runnable> early = new ArrayList<>();

    ClientConnection(WebSocketConnection socket, ChannelHandlerContext channel, Outbox outbox, App app, String socketId,
                     String clientId) {
        this.socket = socket;
        this.channel = channel;
        this.outbox = outbox;
        this.app = app;
        this.socketId = socketId;
        this.clientId = clientId;
        this.receipts = clientId == null ? null : new Receipts();
    }

    /** The client id of a resumable socket, or null. */
    String clientId() {
        return clientId;
    }

    /** What the client of a resumable socket acknowledged; null unless resumable. */
    Receipts receipts() {
        return receipts;
    }

    /** Where the channels of the client's previous socket pick up (see {@link #takeResume}); the record was read. */
    void resumeFrom(Map<String, Resume> positions) {
        resumable.putAll(positions);
        loaded = true;
    }

    /** Its client's previous socket could not be found out: every channel it subscribes to is told events_missed. */
    void predecessorUnknown() {
        predecessorUnknown = true;
    }

    /** True once it read its client's record. */
    boolean loaded() {
        return loaded;
    }

    /**
     * Where a channel picks up: null when the previous socket had no position on it (or, the previous socket unknown,
     * a resume that reports everything before as missed). Kept as pending until the subscription is admitted.
     */
    Resume takeResume(String channel) {
        Resume resume = resumable.remove(channel);
        if (resume == null) {
            resume = pendingResumes.get(channel);
        }
        if (resume == null && predecessorUnknown) {
            resume = new Resume(0, null, true);
        }
        if (resume != null) {
            pendingResumes.put(channel, resume);
        }
        return resume;
    }

    /** The previous socket's positions no admitted subscription took up yet (kept for the next socket). */
    Map<String, Resume> untakenResumes() {
        Map<String, Resume> untaken = new java.util.HashMap<>(pendingResumes);
        untaken.putAll(resumable);
        return untaken;
    }

    /**
     * Runs a frame's handling now if the socket is established, else once it is (in arrival order): a subscription
     * must find where the client's previous socket left off, which a resumable socket reads before it is established.
     */
    void whenEstablished(Runnable handling) {
        synchronized (this) {
            if (early != null) {
                if (early.size() < MAX_EARLY_FRAMES) {
                    early.add(handling);
                }
                return; // beyond the cap: dropped (a client waits for connection_established before it sends)
            }
        }
        handling.run();
    }

    /**
     * The socket is established: the frames that came before run now, on its event loop (where later frames run
     * too, so none overtakes them); nothing runs once it closed.
     */
    void established() {
        Runnable drain = () -> {
            List<Runnable> waiting;
            synchronized (this) {
                waiting = early;
                early = null;
            }
            if (waiting != null && !closing && socket.isOpen()) {
                waiting.forEach(Runnable::run);
            }
        };
        if (channel != null) {
            channel.executor().execute(drain);
        } else {
            drain.run();
        }
    }

    /** The socket closed: frames that came before it was established are dropped. */
    void discardEarly() {
        synchronized (this) {
            if (early != null) {
                early.clear();
            }
        }
    }

    /** Its positions' recording: {@code start} runs once, every caller gets the same (memoized) outcome. */
    Uni<Void> recording(java.util.function.Supplier<Uni<Void>> start) {
        Uni<Void> existing = recording.get();
        if (existing != null) {
            return existing;
        }
        Uni<Void> started = start.get().memoize().indefinitely();
        return recording.compareAndSet(null, started) ? started : recording.get();
    }

    /** When it opened, was last heard from and was pinged. */
    SocketActivity activity() {
        return activity;
    }

    /** Its own budgets of subscribe frames and client events. */
    SocketBudgets budgets() {
        return budgets;
    }

    public WebSocketConnection socket() {
        return socket;
    }

    public App app() {
        return app;
    }

    /** The same app as changed in the store. */
    void app(App changed) {
        this.app = changed;
    }

    @Override
    public String socketId() {
        return socketId;
    }

    public String connectionId() {
        return socket.id();
    }

    boolean isOpen() {
        return socket.isOpen();
    }

    @Override
    public void send(Frame frame) {
        send(frame, null, 0);
    }

    /** Sends a frame; for a resumable socket, one carrying event {@code seq} of {@code position} (null: none). */
    private void send(Frame frame, String position, long seq) {
        if (closing || held) {
            return;
        }
        if (channel != null) {
            outbox.write(this, frame.utf8(), receipts == null ? null : position, seq);
        } else if (socket.isOpen()) {
            socket.sendText(frame.text()).subscribe().with(ok -> { }, err -> { });
            if (receipts != null && position != null) {
                receipts.written(position, seq);
            }
        }
    }

    /**
     * Sends this socket nothing more (a drain): what it would get reaches its client on the socket it resumes on,
     * and what it was sent can be acknowledged completely.
     */
    void holdFrames() {
        held = true;
    }

    /** Asks the client of a resumable socket for a receipt now (written after every frame queued before). */
    void requestReceipt() {
        if (receipts == null || closing) {
            return;
        }
        if (channel == null) {
            receipts.pinged();
            socket.sendText(new String(Receipts.PING, java.nio.charset.StandardCharsets.UTF_8)).subscribe().with(ok -> { }, err -> { });
            return;
        }
        outbox.then(() -> {
            if (writable()) {
                receipts.pinged();
                channel.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(Receipts.PING)), channel.voidPromise());
            }
        });
    }

    /** The client answered a ping: for a resumable socket, a receipt (and maybe the next ping). */
    void ponged() {
        if (receipts != null && receipts.ponged()) {
            requestReceipt();
        }
    }

    /** Closes the socket after every frame sent before; frames sent later are dropped. */
    Uni<Void> close(CloseReason reason) {
        closing = true;
        if (channel == null) {
            return socket.close(reason);
        }
        return Uni.createFrom().emitter(done -> outbox.then(() -> socket.close(reason).subscribe().with(done::complete, done::fail)));
    }

    /** Marks the socket closing as the outbox cuts it for not reading: nothing more is written to it. */
    void cut() {
        closing = true;
    }

    /** True once a close is queued. */
    boolean closing() {
        return closing;
    }

    ChannelHandlerContext channelContext() {
        return channel;
    }

    /** True while frames may still be written to the socket. */
    boolean writable() {
        return !closing && channel.channel().isActive();
    }

    /** Marks the socket written since the last flush; true when it was not yet (the outbox then flushes it). */
    boolean markUnflushed() {
        if (unflushed) {
            return false;
        }
        unflushed = true;
        return true;
    }

    /** The outbox flushes the socket now: a resumable one first gets the ping that asks for a receipt, if due. */
    void flushed() {
        unflushed = false;
        if (receipts != null && receipts.wantsPing() && writable()) {
            receipts.pinged();
            channel.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(Receipts.PING)), channel.voidPromise());
        }
    }

    @Override
    public void deliver(String channelName, ChannelEvent event, Frame frame) {
        var transition = WatchlistEvents.parse(event);
        Watchlist current = watchlist;
        if (transition.isEmpty()) {
            if (current != null) {
                current.afterChecks(() -> send(frame, channelName, event.seq()));
            } else {
                send(frame, channelName, event.seq());
            }
            return;
        }
        if (current != null) {
            current.deliver(transition.get(), frame);
        }
    }

    @Override
    public void admitted(LocalChannel channel, long position) {
        if (receipts != null && subscriptions.containsKey(channel.name())) {
            pendingResumes.remove(channel.name());
            receipts.start(channel.name(), position);
        }
        Runnable start = onUserChannelLive;
        Watchlist current = watchlist;
        if (start != null && current != null && channel.name().equals(current.channel())) {
            onUserChannelLive = null;
            start.run();
        }
    }

    @Override
    public void observedSelf(String userId, MemberState state) {
        selves.computeIfPresent(userId, (u, known) -> state.version() >= known.version() ? state : known);
    }

    /** Remembers this connection's own member state as a store answer gave it. */
    void knowSelf(String userId, MemberState state) {
        selves.merge(userId, state, (known, next) -> next.version() >= known.version() ? next : known);
    }

    /** What this connection last knew of its user's member state (status), or null. */
    MemberState self(String userId) {
        return userId == null ? null : selves.get(userId);
    }

    boolean isSubscribed(String channel) {
        return subscriptions.containsKey(channel);
    }

    int subscriptionCount() {
        return subscriptions.size();
    }

    void addSubscription(String channel, Subscription subscription) {
        joined = true;
        subscriptions.put(channel, subscription);
    }

    Subscription subscription(String channel) {
        return subscriptions.get(channel);
    }

    Subscription removeSubscription(String channel) {
        if (receipts != null) {
            receipts.forget(channel);
        }
        return subscriptions.remove(channel);
    }

    Map<String, Subscription> subscriptions() {
        return Map.copyOf(subscriptions);
    }

    /** The user this connection joined the channel as, if it is a presence channel. */
    String presenceUser(String channel) {
        Subscription s = subscriptions.get(channel);
        return s == null ? null : s.presenceUser();
    }

    /** Who this connection is on a channel: its presence user there, else any presence user it has, else its signed-in user. */
    String identity(String channel) {
        String user = presenceUser(channel);
        if (user != null) {
            return user;
        }
        for (Subscription s : subscriptions.values()) {
            if (s.presenceUser() != null) {
                return s.presenceUser();
            }
        }
        return signedInUserId;
    }

    /** The users this connection is: presence users and the signed-in user. */
    Set<String> identities() {
        Set<String> users = new HashSet<>();
        subscriptions.values().forEach(s -> {
            if (s.presenceUser() != null) {
                users.add(s.presenceUser());
            }
        });
        if (signedInUserId != null) {
            users.add(signedInUserId);
        }
        return users;
    }

    /** The users who blocked this user (as last loaded for this connection). */
    Set<String> blockersOf(String userId) {
        return userId == null ? Set.of() : blockersByUser.getOrDefault(userId, Set.of());
    }

    void setBlockers(String userId, Set<String> blockers) {
        blockersByUser.put(userId, Set.copyOf(blockers));
    }

    String signedInUserId() {
        return signedInUserId;
    }

    /** Signs the connection in as a user with a watchlist; {@code onLive} runs once the user channel delivers to it. */
    void signIn(String userId, Watchlist watchlist, Runnable onLive) {
        this.joined = true;
        this.signedInUserId = userId;
        this.watchlist = watchlist;
        this.onUserChannelLive = onLive;
    }

    /** Forgets the sign-in. */
    void signOut() {
        this.signedInUserId = null;
        this.watchlist = null;
        this.onUserChannelLive = null;
    }

    Watchlist watchlist() {
        return watchlist;
    }

    /** True once it subscribed to a channel or signed in. */
    boolean joined() {
        return joined;
    }
}
