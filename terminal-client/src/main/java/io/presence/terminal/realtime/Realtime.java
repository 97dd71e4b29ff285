package io.presence.terminal.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pusher.client.ChannelAuthorizer;
import com.pusher.client.Pusher;
import com.pusher.client.PusherOptions;
import com.pusher.client.channel.PresenceChannelEventListener;
import com.pusher.client.channel.PrivateChannel;
import com.pusher.client.channel.PrivateChannelEventListener;
import com.pusher.client.channel.PusherEvent;
import com.pusher.client.channel.User;
import com.pusher.client.connection.ConnectionEventListener;
import com.pusher.client.connection.ConnectionState;
import com.pusher.client.connection.ConnectionStateChange;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The chat's one pusher-java-client connection: its state, the channels the chat wants, and subscriptions that come
 * back by themselves after a lost connection or a refused authorization.
 */
public final class Realtime {

    /** The connection as the status line shows it. */
    public enum State { CONNECTING, CONNECTED, RECONNECTING, OFFLINE }

    /** What the chat hears, on pusher-java-client's event thread. */
    public interface Listener {

        void onState(State state);

        /** A channel is (re)subscribed; {@code members} holds the presence members, empty for private channels. */
        void onSubscribed(String channel, Map<String, Member> members);

        void onMemberAdded(String channel, Member member);

        void onMemberRemoved(String channel, String userId);

        /** Any other event bound by the chat, {@code userId} set on client events of presence channels. */
        void onEvent(String channel, String event, String data, String userId);

        /**
         * A subscription was refused with this HTTP status (0: the server was not reached); it is tried again later
         * while the chat still wants the channel.
         */
        void onRefused(String channel, String reason, int status);
    }

    private static final String SUBSCRIPTION_ERROR = "pusher:subscription_error";
    private static final String[] EVENTS = {"message", "message_updated", "message_deleted", "read_cursor",
        "client-typing", "pusher:member_updated", SUBSCRIPTION_ERROR};
    private static final int RECONNECT_GAP_SECONDS = 5;
    private static final int MAX_RETRY_SECONDS = 30;

    private final Pusher pusher;
    private final Listener listener;
    private final ScheduledExecutorService scheduler;
    private final ObjectMapper json;
    private final Set<String> wanted = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> retryDelays = new ConcurrentHashMap<>();
    private final Object subscriptions = new Object();
    private volatile boolean everConnected;
    private volatile boolean closing;

    public Realtime(URI server, String appKey, ChannelAuthorizer authorizer, Listener listener,
                    ScheduledExecutorService scheduler, ObjectMapper json) {
        boolean tls = "https".equalsIgnoreCase(server.getScheme());
        int port = server.getPort() > 0 ? server.getPort() : tls ? 443 : 80;
        PusherOptions options = new ResumableOptions()
                .setHost(server.getHost())
                .setWsPort(port)
                .setWssPort(port)
                .setUseTLS(tls)
                .setChannelAuthorizer(authorizer)
                // pusher-java-client gives up after 6 attempts by default; a chat waits for its server as long as it runs
                .setMaxReconnectionAttempts(10_000)
                .setMaxReconnectGapInSeconds(RECONNECT_GAP_SECONDS)
                .setActivityTimeout(30_000)
                .setPongTimeout(15_000);
        this.pusher = new Pusher(appKey, options);
        this.listener = listener;
        this.scheduler = scheduler;
        this.json = json;
    }

    public void connect() {
        pusher.connect(new ConnectionListener(), ConnectionState.ALL);
    }

    public void close() {
        closing = true;
        pusher.disconnect();
    }

    /** Subscribes to the channel now (when connected) and after every reconnect, until {@link #drop}. */
    public void want(String channel) {
        if (wanted.add(channel)) {
            subscribe(channel);
        }
    }

    public void drop(String channel) {
        wanted.remove(channel);
        retryDelays.remove(channel);
        synchronized (subscriptions) {
            if (find(channel) != null) {
                pusher.unsubscribe(channel);
            }
        }
    }

    public Set<String> wanted() {
        return Set.copyOf(wanted);
    }

    /** Sends a client event on a subscribed private or presence channel; false when that is not possible now. */
    public boolean trigger(String channel, String event, String data) {
        PrivateChannel subscribed = find(channel);
        if (subscribed == null || !subscribed.isSubscribed()) {
            return false;
        }
        try {
            subscribed.trigger(event, data);
            return true;
        } catch (IllegalStateException e) {
            return false; // the connection went away between the check and the send
        }
    }

    private PrivateChannel find(String channel) {
        return channel.startsWith("presence-") ? pusher.getPresenceChannel(channel) : pusher.getPrivateChannel(channel);
    }

    private void subscribe(String channel) {
        synchronized (subscriptions) {
            if (closing || !wanted.contains(channel) || pusher.getConnection().getState() != ConnectionState.CONNECTED
                    || find(channel) != null) {
                return;
            }
            ChannelListener channelListener = new ChannelListener(channel);
            if (channel.startsWith("presence-")) {
                pusher.subscribePresence(channel, channelListener, EVENTS);
            } else {
                pusher.subscribePrivate(channel, channelListener, EVENTS);
            }
        }
    }

    /**
     * Forgets pusher-java-client's channel objects after a lost connection: they would resubscribe by themselves, but a
     * presence channel keeps the members it knew from before (it never clears them), so the chat subscribes afresh.
     */
    private void forgetChannels() {
        synchronized (subscriptions) {
            for (String channel : wanted) {
                if (find(channel) != null) {
                    pusher.unsubscribe(channel);
                }
            }
        }
    }

    private void retryLater(String channel) {
        int delay = retryDelays.merge(channel, 1, (old, one) -> Math.min(old * 2, MAX_RETRY_SECONDS));
        scheduler.schedule(() -> subscribe(channel), delay, TimeUnit.SECONDS);
    }

    /** Maps pusher-java-client's states to the four the chat shows, and reconnects after it gives up. */
    private final class ConnectionListener implements ConnectionEventListener {

        @Override
        public void onConnectionStateChange(ConnectionStateChange change) {
            switch (change.getCurrentState()) {
                case CONNECTED -> {
                    everConnected = true;
                    listener.onState(State.CONNECTED);
                    wanted.forEach(Realtime.this::subscribe);
                }
                case CONNECTING -> listener.onState(everConnected ? State.RECONNECTING : State.CONNECTING);
                case RECONNECTING -> {
                    forgetChannels();
                    listener.onState(everConnected ? State.RECONNECTING : State.CONNECTING);
                }
                case DISCONNECTED -> {
                    forgetChannels();
                    if (!closing) {
                        listener.onState(State.OFFLINE);
                        scheduler.schedule(() -> {
                            if (!closing) {
                                pusher.connect();
                            }
                        }, RECONNECT_GAP_SECONDS, TimeUnit.SECONDS);
                    }
                }
                default -> {
                    // DISCONNECTING and ALL: nothing to show
                }
            }
        }

        @Override
        public void onError(String message, String code, Exception e) {
            // errors come with a state change or a refused subscription, which are shown
        }
    }

    /** One subscription's listener: presence members, the bound events, and refusals. */
    private final class ChannelListener implements PresenceChannelEventListener, PrivateChannelEventListener {

        private final String channel;

        ChannelListener(String channel) {
            this.channel = channel;
        }

        @Override
        public void onSubscriptionSucceeded(String channelName) {
            retryDelays.remove(channel);
            if (!channel.startsWith("presence-")) {
                listener.onSubscribed(channel, Map.of());
            }
        }

        @Override
        public void onUsersInformationReceived(String channelName, Set<User> users) {
            retryDelays.remove(channel);
            Map<String, Member> members = new LinkedHashMap<>();
            for (User user : users) {
                members.put(user.getId(), Member.of(user.getId(), user.getInfo(), json));
            }
            listener.onSubscribed(channel, members);
        }

        @Override
        public void userSubscribed(String channelName, User user) {
            listener.onMemberAdded(channel, Member.of(user.getId(), user.getInfo(), json));
        }

        @Override
        public void userUnsubscribed(String channelName, User user) {
            if (user != null) {
                listener.onMemberRemoved(channel, user.getId());
            }
        }

        @Override
        public void onAuthenticationFailure(String message, Exception e) {
            // pusher-java-client has already forgotten the channel
            listener.onRefused(channel, message, SessionAuthorizer.statusOf(e));
            retryLater(channel);
        }

        @Override
        public void onEvent(PusherEvent event) {
            if (SUBSCRIPTION_ERROR.equals(event.getEventName())) {
                synchronized (subscriptions) {
                    pusher.unsubscribe(channel);
                }
                String reason = event.getData();
                int status = 0;
                try {
                    JsonNode error = json.readTree(reason);
                    reason = error.path("error").asText(reason);
                    status = error.path("status").asInt(0);
                } catch (IOException e) {
                    // not JSON: the raw text is the reason
                }
                listener.onRefused(channel, reason, status);
                retryLater(channel);
                return;
            }
            listener.onEvent(channel, event.getEventName(), event.getData(), event.getUserId());
        }
    }
}
