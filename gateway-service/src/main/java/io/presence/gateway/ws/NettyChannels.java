package io.presence.gateway.ws;

import io.netty.channel.ChannelHandlerContext;
import io.quarkus.websockets.next.WebSocketConnection;
import io.quarkus.websockets.next.runtime.WebSocketConnectionBase;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.net.impl.ConnectionBase;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The Netty channel under a websockets-next connection, so that a frame encoded once is written to every socket
 * without a Mutiny {@code Uni}, a Vert.x promise and a re-encode per socket. websockets-next does not expose it:
 * this reaches it through two non-public members, checked once at start-up; where they are missing (another
 * Quarkus version) every socket falls back to {@code sendText}, and a warning says so.
 */
final class NettyChannels {

    private static final Logger LOG = Logger.getLogger(NettyChannels.class);
    /** {@code WebSocketConnectionBase.webSocket()}, package-private. */
    private static final MethodHandle WEB_SOCKET;
    /** {@code ServerWebSocketWrapper.delegate}: vertx-web wraps the core web socket. */
    private static final MethodHandle WRAPPED;
    private static final Class<?> WRAPPER;

    static {
        MethodHandle webSocket = null;
        MethodHandle wrapped = null;
        Class<?> wrapper = null;
        try {
            webSocket = MethodHandles.privateLookupIn(WebSocketConnectionBase.class, MethodHandles.lookup())
                    .findVirtual(WebSocketConnectionBase.class, "webSocket", MethodType.methodType(WebSocketBase.class));
            wrapper = Class.forName("io.vertx.ext.web.impl.ServerWebSocketWrapper", false, WebSocketConnectionBase.class.getClassLoader());
            Field delegate = wrapper.getDeclaredField("delegate");
            wrapped = MethodHandles.privateLookupIn(wrapper, MethodHandles.lookup()).unreflectGetter(delegate);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warnf("frames go through websockets-next's sendText (slower): its web socket is not reachable here (%s)", e.toString());
            webSocket = null;
        }
        WEB_SOCKET = webSocket;
        WRAPPED = wrapped;
        WRAPPER = wrapper;
    }

    private NettyChannels() {
    }

    /** The channel handler context the connection's frames are written through, or empty where it cannot be reached. */
    static Optional<ChannelHandlerContext> of(WebSocketConnection connection) {
        if (WEB_SOCKET == null || !(connection instanceof WebSocketConnectionBase)) {
            return Optional.empty();
        }
        try {
            Object socket = WEB_SOCKET.invoke(connection);
            if (WRAPPER != null && WRAPPER.isInstance(socket)) {
                socket = WRAPPED.invoke(socket);
            }
            if (socket instanceof io.vertx.core.http.impl.WebSocketImplBase<?> impl
                    && impl.connection() instanceof ConnectionBase base) {
                return Optional.of(base.channelHandlerContext());
            }
            return Optional.empty();
        } catch (Throwable e) {
            LOG.debugf("no channel for %s: %s", connection.id(), e.toString());
            return Optional.empty();
        }
    }
}
