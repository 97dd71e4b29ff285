package io.presence.gateway.ws;

import com.fasterxml.jackson.databind.JsonNode;
import io.presence.common.pusher.PusherApp;
import java.util.Map;

/** Raw protocol sockets for tests outside this package. */
public final class TestSockets {

    private TestSockets() {
    }

    /** A connected raw socket of the development app. */
    public static Socket connect(int port) throws Exception {
        return new Socket(TestSocket.connect(port));
    }

    /** What tests elsewhere may do with a raw socket. */
    public static final class Socket implements AutoCloseable {
        private final TestSocket socket;

        Socket(TestSocket socket) {
            this.socket = socket;
        }

        public String socketId() {
            return socket.socketId;
        }

        public void subscribePublic(String channel) throws Exception {
            socket.subscribePublic(channel);
        }

        public JsonNode joinPresence(String channel, String userId, String name) throws Exception {
            return socket.joinPresence(channel, userId, name);
        }

        public void signIn(String userId) throws Exception {
            String userData = "{\"id\":\"" + userId + "\"}";
            socket.send("pusher:signin", Map.of("user_data", userData,
                    "auth", TestSocket.APP.auth(PusherApp.userSignInText(socket.socketId, userData))));
            socket.next("pusher:signin_success");
        }

        public JsonNode next(String event) throws InterruptedException {
            return socket.next(event);
        }

        public void expectNo(String event, long millis) throws InterruptedException {
            socket.expectNo(event, millis);
        }

        public int awaitClose() throws Exception {
            return socket.awaitClose();
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
