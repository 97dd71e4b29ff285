package io.presence.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.presence.common.app.App;
import io.presence.gateway.hub.Frame;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The outbox writes each socket's frames in order, flushes each socket once per turn, and runs a close after them. */
class OutboxTest {

    /** Records what reaches the channel: "frame text" per write, "flush" per flush. */
    private static final class Recorder extends ChannelOutboundHandlerAdapter {
        final List<String> seen = new ArrayList<>();

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            TextWebSocketFrame frame = (TextWebSocketFrame) msg;
            seen.add(frame.text());
            frame.release();
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
            seen.add("flush");
        }
    }

    private static final App APP = new App("app", "key", "secret", null, null, true, null, null, null, null);

    @Test
    void framesInOrderOneFlushPerSocketAndTheCloseAfterThem() {
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        EmbeddedChannel channelA = new EmbeddedChannel(a, new ChannelOutboundHandlerAdapter());
        EmbeddedChannel channelB = new EmbeddedChannel(b, new ChannelOutboundHandlerAdapter());
        Outbox outbox = new Outbox(channelA.eventLoop(), Integer.MAX_VALUE, () -> { });
        ClientConnection toA = new ClientConnection(null, channelA.pipeline().lastContext(), outbox, APP, "1.1", null);
        ClientConnection toB = new ClientConnection(null, channelB.pipeline().lastContext(), outbox, APP, "1.2", null);

        Frame shared = new Frame("{\"event\":\"e1\"}");
        toA.send(shared);
        toB.send(shared);
        toA.send("{\"event\":\"e2\"}");
        List<String> atClose = new ArrayList<>();
        outbox.then(() -> atClose.addAll(a.seen));
        toA.send("{\"event\":\"e3\"}");
        assertTrue(a.seen.isEmpty(), "nothing is written before the loop runs the outbox");

        channelA.runPendingTasks();

        assertEquals(List.of("{\"event\":\"e1\"}", "{\"event\":\"e2\"}", "flush"), atClose, "the action runs after the frames before it are flushed");
        assertEquals(List.of("{\"event\":\"e1\"}", "{\"event\":\"e2\"}", "flush", "{\"event\":\"e3\"}", "flush"), a.seen);
        assertEquals(List.of("{\"event\":\"e1\"}", "flush"), b.seen);
    }

    @Test
    void aClosedSocketGetsNothingMore() {
        Recorder a = new Recorder();
        EmbeddedChannel channel = new EmbeddedChannel(a, new ChannelOutboundHandlerAdapter());
        Outbox outbox = new Outbox(channel.eventLoop(), Integer.MAX_VALUE, () -> { });
        ClientConnection to = new ClientConnection(null, channel.pipeline().lastContext(), outbox, APP, "1.1", null);
        to.send("{\"event\":\"before\"}");
        channel.runPendingTasks();
        channel.close();
        to.send("{\"event\":\"after\"}");
        channel.runPendingTasks();
        assertEquals(List.of("{\"event\":\"before\"}", "flush"), a.seen);
    }
}
