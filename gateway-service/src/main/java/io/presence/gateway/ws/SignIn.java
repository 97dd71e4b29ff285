package io.presence.gateway.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.presence.common.presence.PresenceDiff.Viewer;
import io.presence.common.presence.UserPresenceStore;
import io.presence.common.pusher.PusherApp;
import io.presence.gateway.hub.LocalChannel;
import io.presence.gateway.protocol.CloseCode;
import io.presence.gateway.protocol.Frames;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * User sign-in ({@code pusher:signin}): a signed user_data makes the connection that user, subscribed to
 * {@code #server-to-user-<id>} (what backends send to a user) and known by id for terminate_connections.
 */
@ApplicationScoped
public class SignIn {

    private final Subscriptions subscriptions;
    private final UserPresenceStore users;
    private final Frames frames;

    public SignIn(Subscriptions subscriptions, UserPresenceStore users, Frames frames) {
        this.subscriptions = subscriptions;
        this.users = users;
        this.frames = frames;
    }

    void signIn(ClientConnection connection, JsonNode data) {
        String auth = data.path("auth").asText(null);
        String userData = data.path("user_data").asText(null);
        String userId = null;
        if (userData != null && connection.app().verifyAuth(auth, PusherApp.userSignInText(connection.socketId(), userData))) {
            try {
                JsonNode id = frames.json().readTree(userData).path("id");
                userId = id.isTextual() || id.isNumber() ? id.asText() : null;
            } catch (Exception e) {
                userId = null;
            }
        }
        if (userId == null || userId.isEmpty()) {
            connection.send(frames.error(CloseCode.UNAUTHORIZED.code(), "sign-in refused: invalid signature or user_data"));
            return;
        }
        if (connection.signedInUserId() != null) {
            subscriptions.unsubscribe(connection, Subscriptions.SERVER_TO_USER + connection.signedInUserId());
        }
        connection.signIn(userId);
        ObjectNode success = frames.json().createObjectNode();
        success.put("user_data", userData);
        String signedIn = frames.eventWithRawData("pusher:signin_success", null, success.toString());
        String user = userId;
        String userChannel = Subscriptions.SERVER_TO_USER + userId;
        LocalChannel local = subscriptions.attach(connection, userChannel, null);
        users.blockers(user).subscribe().with(blockers -> {
            connection.setBlockers(user, blockers);
            // quiet: the client subscribes to its user channel itself and is answered then
            local.admit(connection, new Viewer(user, blockers), 0, null, true);
        }, err -> {
            subscriptions.unsubscribe(connection, userChannel);
            connection.send(frames.error(null, "sign-in failed: presence store unavailable, retry"));
        });
        connection.send(signedIn);
    }
}
