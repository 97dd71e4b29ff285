package io.presence.gateway.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.presence.common.presence.PresenceDiff.Viewer;
import io.presence.common.presence.PresenceVisibility;
import io.presence.common.presence.UserPresenceStore;
import io.presence.common.presence.Watchlists;
import io.presence.common.pusher.Channels;
import io.presence.common.pusher.PusherApp;
import io.presence.gateway.hub.LocalChannel;
import io.presence.gateway.node.NodeIdentity;
import io.presence.gateway.protocol.CloseCode;
import io.presence.gateway.protocol.Frames;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * User sign-in ({@code pusher:signin}): a signed user_data makes the connection that user, subscribed to
 * {@code #server-to-user-<id>} (what backends send to a user), known by id for terminate_connections, online as
 * one of the user's connections, and told about the users of its {@code user_data.watchlist} ({@link Watchlist}) whom
 * the presence visibility policy lets the user see: their state right after sign-in, then each time one goes online
 * or offline.
 */
@ApplicationScoped
public class SignIn {

    private static final Logger LOG = Logger.getLogger(SignIn.class);

    private final Subscriptions subscriptions;
    private final UserPresenceStore users;
    private final Watchlists watchlists;
    private final Connections connections;
    private final NodeIdentity node;
    private final Frames frames;
    private final PresenceVisibility visibility;

    public SignIn(Subscriptions subscriptions, UserPresenceStore users, Watchlists watchlists, Connections connections,
                  NodeIdentity node, Frames frames, PresenceVisibility visibility) {
        this.visibility = visibility;
        this.subscriptions = subscriptions;
        this.users = users;
        this.watchlists = watchlists;
        this.connections = connections;
        this.node = node;
        this.frames = frames;
    }

    /** The signed user_data: the user's id and watchlist. */
    private record UserData(String id, List<String> watchlist) {
    }

    void signIn(ClientConnection connection, JsonNode data) {
        String auth = data.path("auth").asText(null);
        String userData = data.path("user_data").asText(null);
        if (userData == null || !connection.app().verifyAuth(auth, PusherApp.userSignInText(connection.socketId(), userData))) {
            connection.send(frames.error(CloseCode.UNAUTHORIZED.code(), "sign-in refused: invalid signature or user_data"));
            return;
        }
        UserData user = parse(userData);
        if (user == null) {
            connection.send(frames.error(CloseCode.UNAUTHORIZED.code(),
                    "sign-in refused: user_data needs an id, and a watchlist of at most " + Watchlists.MAX_WATCHED
                            + " user ids (ids are letters, digits and -_=@,.;)"));
            return;
        }
        signOut(connection);
        String userChannel = Channels.serverToUser(user.id());
        Watchlist watchlist = new Watchlist(userChannel, user.watchlist(), connection.blockersOf(user.id()), connection, frames,
                watched -> visibility.visibleTo(connection.app(), user.id(), List.of(watched)).map(visible -> visible.contains(watched)));
        ObjectNode success = frames.json().createObjectNode();
        success.put("user_data", userData);
        String signedIn = frames.eventWithRawData("pusher:signin_success", null, success.toString());
        // answered, registered and the states read only once the user channel delivers to the connection: an event
        // sent to the user after signin_success reaches it, and no watchlist transition falls between
        connection.signIn(user.id(), watchlist, () -> {
            connection.send(signedIn);
            register(connection, user.id(), watchlist);
        });
        LocalChannel local = subscriptions.attach(connection, userChannel, null);
        users.blockers(connection.app().id(), user.id()).subscribe().with(blockers -> {
            connection.setBlockers(user.id(), blockers);
            watchlist.hiddenBy(blockers);
            // quiet: the client subscribes to its user channel itself and is answered then; a resumable client's
            // user channel picks up where its previous socket left off, like any channel
            local.admit(connection, new Viewer(user.id(), blockers), 0, null, true, connection.takeResume(userChannel));
        }, err -> {
            subscriptions.unsubscribe(connection, userChannel);
            connection.send(frames.error(null, "sign-in failed: presence store unavailable, retry"));
        });
    }

    /** Registers a signed-in connection in the store and hands its watchlist the states it starts from. */
    private void register(ClientConnection connection, String userId, Watchlist watchlist) {
        registration(connection, userId, watchlist)
                .subscribe().with(start -> {
                    if (connection.watchlist() == watchlist) {
                        start.run();
                    }
                }, err -> {
                    LOG.warnf("signing in %s failed: %s", userId, err.toString());
                    connection.send(frames.error(null, "sign-in failed: presence store unavailable, retry"));
                });
    }

    /** Undoes a connection's sign-in, if any (another sign-in, or the socket closed). */
    void signOut(ClientConnection connection) {
        String userId = connection.signedInUserId();
        Watchlist watchlist = connection.watchlist();
        if (userId == null) {
            return;
        }
        connection.signOut();
        subscriptions.unsubscribe(connection, Channels.serverToUser(userId));
        watchlists.signOut(connection.app().id(), node.id(), connection.connectionId(), userId,
                        watchlist == null ? List.of() : watchlist.users())
                .subscribe().with(done -> { }, err -> LOG.warnf("signing out %s failed (the reaper cleans up if this node dies): %s",
                        userId, err.toString()));
    }

    /**
     * Registers every signed-in connection of this node again after its lease had to be taken again (Redis lost its
     * data, or the reaper took this node's connections): the user is online again and each watchlist compares the
     * states read anew with what it showed.
     */
    public Uni<Void> registerAll() {
        List<Uni<Void>> registrations = new ArrayList<>();
        for (ClientConnection c : connections.all()) {
            String userId = c.signedInUserId();
            Watchlist watchlist = c.watchlist();
            if (userId == null || watchlist == null) {
                continue;
            }
            registrations.add(registration(c, userId, watchlist)
                    .invoke(Runnable::run)
                    .onFailure().invoke(err -> LOG.warnf("registering the sign-in of %s again failed: %s", userId, err.toString()))
                    .onFailure().recoverWithNull()
                    .replaceWithVoid());
        }
        LOG.infof("registering %d signed-in connections again", registrations.size());
        return registrations.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(registrations).andCollectFailures().replaceWithVoid();
    }

    /**
     * Records the signed-in connection in the store (again), reads its watched users' states and which of them
     * {@link PresenceVisibility} lets its user see; answers what hands them to the watchlist.
     */
    private Uni<Runnable> registration(ClientConnection connection, String userId, Watchlist watchlist) {
        return watchlists.signIn(connection.app().id(), node.id(), connection.connectionId(), userId, watchlist.users())
                .chain(states -> visibility.visibleTo(connection.app(), userId, watchlist.users())
                        .map(visible -> () -> watchlist.snapshot(states, visible)));
    }

    /** A user id fit for a user channel name ({@code #server-to-user-<id>}): a string or number of channel-name characters. */
    private static boolean isUserId(JsonNode id) {
        return id != null && (id.isTextual() || id.isNumber()) && Channels.isValidName(id.asText(), Channels.DEFAULT_MAX_NAME_LENGTH);
    }

    /** The user's id and watchlist, or null when user_data is not JSON with an id or the watchlist is not a short list of ids. */
    private UserData parse(String userData) {
        try {
            JsonNode parsed = frames.json().readTree(userData);
            JsonNode id = parsed == null ? null : parsed.path("id");
            if (!isUserId(id)) {
                return null;
            }
            List<String> watchlist = new ArrayList<>();
            JsonNode list = parsed.path("watchlist");
            if (!list.isMissingNode() && !list.isNull()) {
                if (!list.isArray() || list.size() > Watchlists.MAX_WATCHED) {
                    return null;
                }
                for (JsonNode watched : list) {
                    if (!isUserId(watched)) {
                        return null;
                    }
                    watchlist.add(watched.asText());
                }
            }
            return new UserData(id.asText(), watchlist);
        } catch (Exception e) {
            return null;
        }
    }
}
