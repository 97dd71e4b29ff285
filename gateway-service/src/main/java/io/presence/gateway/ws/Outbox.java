package io.presence.gateway.ws;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.PlatformDependent;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The frames bound for the sockets of one event loop, from any thread: each is queued, and one task on the loop
 * writes everything queued so far, then flushes each socket once. A fan-out to a thousand sockets thus costs one
 * hand-over per loop instead of one per socket, and a burst of events costs one flush (one system call) per socket.
 * A socket's frames and its close are written in the order they were queued. A socket that does not read what it
 * is sent is cut once more than {@code maxPendingBytes} wait for it, so one stalled subscriber of a busy channel
 * cannot fill the gateway's memory.
 */
final class Outbox implements Runnable {

    /** Items written per task before the loop gets a turn for other work. */
    private static final int MAX_PER_TURN = 8192;

    /** A frame for a socket; for a resumable socket, the channel and number of the event it carries (else null). */
    private record Write(ClientConnection to, byte[] frame, String channel, long seq) {
    }

    private final EventExecutor loop;
    private final Queue<Object> queue = PlatformDependent.newMpscQueue();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    /** Sockets written since the last flush; the loop's thread only. */
    private final List<ClientConnection> unflushed = new ArrayList<>();

    private final int maxPendingBytes;
    private final Runnable onCut;

    /** An outbox for the sockets of {@code loop}; {@code onCut} runs for each socket cut for not reading. */
    Outbox(EventExecutor loop, int maxPendingBytes, Runnable onCut) {
        this.loop = loop;
        this.maxPendingBytes = maxPendingBytes;
        this.onCut = onCut;
    }

    /** Queues a frame for a socket of this loop. */
    void write(ClientConnection to, byte[] frame) {
        write(to, frame, null, 0);
    }

    /** Queues a frame carrying event {@code seq} of {@code channel}: once written, the socket's receipts know it. */
    void write(ClientConnection to, byte[] frame, String channel, long seq) {
        queue.offer(new Write(to, frame, channel, seq));
        schedule();
    }

    /** Runs an action on the loop after every frame queued before it was written and flushed (a close, say). */
    void then(Runnable action) {
        queue.offer(action);
        schedule();
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            loop.execute(this);
        }
    }

    @Override
    public void run() {
        scheduled.set(false); // anything queued from here on schedules another run
        Object item;
        int written = 0;
        while (written++ < MAX_PER_TURN && (item = queue.poll()) != null) {
            if (item instanceof Write w) {
                ChannelHandlerContext ctx = w.to().channelContext();
                if (w.to().writable() && !tooFarBehind(w.to(), ctx)) {
                    ctx.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(w.frame())), ctx.voidPromise());
                    if (w.channel() != null) {
                        w.to().receipts().written(w.channel(), w.seq());
                    }
                    if (w.to().markUnflushed()) {
                        unflushed.add(w.to());
                    }
                }
            } else {
                flush();
                ((Runnable) item).run();
            }
        }
        flush();
        if (!queue.isEmpty()) {
            schedule();
        }
    }

    /**
     * Whether the socket holds more unsent bytes than it may; then it is cut at once (a close frame would only queue
     * behind the backlog), its pending frames dropped, and its close runs the usual leave.
     */
    private boolean tooFarBehind(ClientConnection to, ChannelHandlerContext ctx) {
        Channel channel = ctx.channel();
        if (channel.isWritable()) {
            return false; // under the write buffer's high-water mark (64 KiB): far from any limit
        }
        ChannelOutboundBuffer pending = channel.unsafe().outboundBuffer();
        if (pending == null || pending.totalPendingWriteBytes() <= maxPendingBytes) {
            return false;
        }
        to.cut();
        // below the pipeline: Vert.x would first queue a close frame behind the backlog and wait for the client's
        channel.unsafe().close(channel.voidPromise());
        onCut.run();
        return true;
    }

    private void flush() {
        for (ClientConnection c : unflushed) {
            c.flushed();
            c.channelContext().flush();
        }
        unflushed.clear();
    }
}
