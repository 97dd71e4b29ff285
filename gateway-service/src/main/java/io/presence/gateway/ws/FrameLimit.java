package io.presence.gateway.ws;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.util.AttributeKey;

/**
 * Closes a socket whose client broke the frame rules with the close code Netty chose (1009 for a frame over
 * {@code quarkus.websockets-next.server.max-frame-size}) and a reason, where Vert.x would drop the connection without
 * a close frame. Netty's decoder refuses an oversized frame as its header arrives, so none of it is buffered; this
 * handler, right after the decoder, stops reading the socket (the rest of the frame is never read) and answers.
 */
@ChannelHandler.Sharable
final class FrameLimit extends ChannelInboundHandlerAdapter {

    /** Netty's name of the WebSocket frame decoder in a socket's pipeline. */
    static final String DECODER = "wsdecoder";
    private static final AttributeKey<Boolean> REFUSED = AttributeKey.valueOf("presence.frame-refused");

    private final ConnectionMetrics metrics;

    FrameLimit(ConnectionMetrics metrics) {
        this.metrics = metrics;
    }

    /** Puts this handler right after the WebSocket frame decoder of a socket's pipeline. */
    void install(ChannelPipeline pipeline) {
        if (pipeline.get(DECODER) != null && pipeline.get(FrameLimit.class) == null) {
            pipeline.addAfter(DECODER, "frame-limit", this);
        }
    }

    /** True once a frame of this socket was refused (it is being closed, and is read no more). */
    static boolean refused(Channel channel) {
        return Boolean.TRUE.equals(channel.attr(REFUSED).get());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof CorruptedWebSocketFrameException corrupted)) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        metrics.refused("maxFrameSize");
        ctx.channel().attr(REFUSED).set(true);
        // read nothing more: the decoder would discard the rest of the frame one byte per call, busying the event
        // loop for as long as the client keeps sending; unread, it is dropped with the connection
        ctx.channel().config().setAutoRead(false);
        ctx.channel().writeAndFlush(new CloseWebSocketFrame(corrupted.closeStatus().code(), "frame refused: " + corrupted.getMessage()))
                .addListener(ChannelFutureListener.CLOSE);
    }
}
