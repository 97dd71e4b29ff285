package io.presence.gateway.ws;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
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
 * A socket's frames and its close are written in the order they were queued.
 */
final class Outbox implements Runnable {

    /** Items written per task before the loop gets a turn for other work. */
    private static final int MAX_PER_TURN = 8192;

    /** A frame for a socket. */
    private record Write(ClientConnection to, byte[] frame) {
    }

    private final EventExecutor loop;
    private final Queue<Object> queue = PlatformDependent.newMpscQueue();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    /** Sockets written since the last flush; the loop's thread only. */
    private final List<ClientConnection> unflushed = new ArrayList<>();

    Outbox(EventExecutor loop) {
        this.loop = loop;
    }

    /** Queues a frame for a socket of this loop. */
    void write(ClientConnection to, byte[] frame) {
        queue.offer(new Write(to, frame));
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
                if (w.to().writable()) {
                    ctx.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(w.frame())), ctx.voidPromise());
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

    private void flush() {
        for (ClientConnection c : unflushed) {
            c.flushed();
            c.channelContext().flush();
        }
        unflushed.clear();
    }
}
