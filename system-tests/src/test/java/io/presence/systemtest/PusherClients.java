package io.presence.systemtest;

import com.pusher.client.Pusher;
import com.pusher.client.PusherOptions;
import com.pusher.client.channel.PresenceChannelEventListener;
import com.pusher.client.channel.PrivateChannelEventListener;
import com.pusher.client.channel.PusherEvent;
import com.pusher.client.channel.User;
import com.pusher.client.connection.ConnectionEventListener;
import com.pusher.client.connection.ConnectionState;
import com.pusher.client.connection.ConnectionStateChange;
import com.pusher.client.util.HttpChannelAuthorizer;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** Real pusher-java-client connections to a gateway, authorizing through its /pusher/auth with a session token. */
final class PusherClients {

    private PusherClients() {
    }

    static Pusher connect(int gatewayPort, String sessionToken) {
        HttpChannelAuthorizer authorizer = new HttpChannelAuthorizer("http://127.0.0.1:" + gatewayPort + "/pusher/auth");
        authorizer.setHeaders(Map.of("Authorization", "Bearer " + sessionToken));
        PusherOptions options = new PusherOptions().setHost("127.0.0.1").setWsPort(gatewayPort).setUseTLS(false)
                .setChannelAuthorizer(authorizer);
        Pusher pusher = new Pusher("app-key", options);
        pusher.connect(new ConnectionEventListener() {
            @Override
            public void onConnectionStateChange(ConnectionStateChange change) {
            }

            @Override
            public void onError(String message, String code, Exception e) {
            }
        }, ConnectionState.ALL);
        return pusher;
    }

    /** Records what a channel listener hears, as short strings ("subscribed", "added:42", "auth-failed", ...). */
    static final class Recorder implements PresenceChannelEventListener, PrivateChannelEventListener {
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();

        @Override
        public void onUsersInformationReceived(String channelName, Set<User> users) {
            events.add("users:" + users.size());
        }

        @Override
        public void userSubscribed(String channelName, User user) {
            events.add("added:" + user.getId());
        }

        @Override
        public void userUnsubscribed(String channelName, User user) {
            events.add("removed:" + user.getId());
        }

        @Override
        public void onAuthenticationFailure(String message, Exception e) {
            events.add("auth-failed");
        }

        @Override
        public void onSubscriptionSucceeded(String channelName) {
            events.add("subscribed");
        }

        @Override
        public void onEvent(PusherEvent event) {
            events.add("event:" + event.getEventName());
        }

        /** Waits up to 10 s for the given event, skipping others. */
        void await(String expected) throws InterruptedException {
            long deadline = System.currentTimeMillis() + 10_000;
            while (System.currentTimeMillis() < deadline) {
                String e = events.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (expected.equals(e)) {
                    return;
                }
            }
            throw new AssertionError("no '" + expected + "' within 10 s, left: " + events);
        }
    }
}
