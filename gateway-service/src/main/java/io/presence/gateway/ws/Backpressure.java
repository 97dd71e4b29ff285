package io.presence.gateway.ws;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;

/**
 * Reads a socket's frames only while what the gateway has to write to it fits in Netty's write buffer (64 KiB): a
 * client that sends pings, subscriptions or refused frames and never reads the answers stops being read, instead of
 * having its answers pile up in the gateway's memory. What is not read waits in the kernel, and TCP slows the client.
 */
@ChannelHandler.Sharable
final class Backpressure extends ChannelInboundHandlerAdapter {

    static final Backpressure INSTANCE = new Backpressure();

    /** Puts this handler right after the WebSocket frame decoder (Vert.x's handler, last, does not pass the event on). */
    void install(ChannelPipeline pipeline) {
        if (pipeline.get(FrameLimit.DECODER) != null && pipeline.get(Backpressure.class) == null) {
            pipeline.addAfter(FrameLimit.DECODER, "backpressure", this);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (!FrameLimit.refused(ctx.channel())) {
            ctx.channel().config().setAutoRead(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }
}
