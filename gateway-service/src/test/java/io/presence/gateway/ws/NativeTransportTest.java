package io.presence.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollSocketChannel;
import io.presence.gateway.GatewayTestResources;
import io.presence.gateway.node.NetworkTransport;
import io.presence.testsupport.PusherSocket;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** On Linux x86_64 the gateway's sockets run on native epoll (the file it ships), not on NIO. */
@QuarkusTest
@WithTestResource(GatewayTestResources.class)
@EnabledOnOs(value = OS.LINUX, architectures = "amd64")
class NativeTransportTest {

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Inject
    Vertx vertx;

    @Inject
    NetworkTransport transport;

    @Inject
    Connections connections;

    @Test
    void vertxRunsOnEpoll() {
        assertTrue(Epoll.isAvailable(), () -> "epoll loads: " + Epoll.unavailabilityCause());
        assertTrue(vertx.isNativeTransportEnabled(), () -> "native transport: " + vertx.unavailableNativeTransportCause());
        assertEquals("epoll", transport.name());
    }

    @Test
    void anAcceptedSocketIsAnEpollChannel() throws Exception {
        try (PusherSocket socket = PusherSocket.connect(port)) {
            ClientConnection connection = connections.all().stream()
                    .filter(c -> c.socketId().equals(socket.socketId())).findFirst().orElseThrow();
            assertNotNull(connection.channelContext(), "the gateway writes through the socket's Netty channel");
            assertInstanceOf(EpollSocketChannel.class, connection.channelContext().channel());
        }
    }
}
