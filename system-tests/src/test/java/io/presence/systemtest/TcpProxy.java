package io.presence.systemtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP forwarder in front of a shared PostgreSQL or Redis, or of gateways. {@link #cut()} makes the server
 * look dead to those behind it (open connections dropped, new ones refused) without touching the real server; with
 * several targets ({@link #balancing}) each new connection goes to the next one that accepts it, as a load balancer
 * in front of gateways does while one of them restarts.
 */
final class TcpProxy implements AutoCloseable {

    private final String targetHost;
    private volatile int[] targetPorts;
    private final java.util.concurrent.atomic.AtomicInteger nextTarget = new java.util.concurrent.atomic.AtomicInteger();
    private final int port;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;

    TcpProxy(String targetHost, int... targetPorts) throws IOException {
        this.targetHost = targetHost;
        this.targetPorts = targetPorts.clone();
        this.server = listen(0);
        this.port = server.getLocalPort();
        acceptLoop(server);
    }

    /** A proxy to the given server, listening on a free loopback port. */
    static TcpProxy to(String targetHost, int targetPort) {
        try {
            return new TcpProxy(targetHost, targetPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A proxy that spreads new connections over these local ports, skipping those that refuse. */
    static TcpProxy balancing(int... ports) {
        try {
            return new TcpProxy("127.0.0.1", ports);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return port;
    }

    /** Drops every open connection and refuses new ones until {@link #restore()}. */
    synchronized void cut() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
        sockets.clear();
    }

    /** From now on, new connections go to these ports (open ones stay where they are). */
    void retarget(int... ports) {
        targetPorts = ports.clone();
    }

    synchronized void restore() throws IOException {
        if (server.isClosed()) {
            server = listen(port);
            acceptLoop(server);
        }
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress("127.0.0.1", port));
        return socket;
    }

    private void acceptLoop(ServerSocket listening) {
        daemon("tcp-proxy-" + port, () -> {
            while (!listening.isClosed()) {
                try {
                    Socket client = listening.accept();
                    Socket upstream = connectUpstream();
                    if (upstream == null) {
                        client.close(); // every target refused
                        continue;
                    }
                    sockets.add(client);
                    sockets.add(upstream);
                    pump(client, upstream);
                    pump(upstream, client);
                } catch (IOException e) {
                    // listening socket closed by cut() or close(), or the target refused: the loop condition decides
                }
            }
        });
    }

    /** A connection to the next target that accepts one, or null when none does. */
    private Socket connectUpstream() {
        int start = nextTarget.getAndIncrement();
        int[] ports = targetPorts;
        for (int i = 0; i < ports.length; i++) {
            try {
                return new Socket(targetHost, ports[Math.floorMod(start + i, ports.length)]);
            } catch (IOException refused) {
                // try the next one
            }
        }
        return null;
    }

    private void pump(Socket from, Socket to) {
        daemon("tcp-proxy-pump", () -> {
            byte[] buffer = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    out.write(buffer, 0, n);
                }
            } catch (IOException ignored) {
                // either side went away; closing both below ends the other pump too
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        });
    }

    private static void daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }

    private void closeQuietly(Socket socket) {
        sockets.remove(socket);
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        cut();
    }
}
