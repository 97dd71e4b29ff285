package io.presence.user.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.presence.common.problem.ProblemException;
import io.presence.common.problem.ProblemType;
import io.presence.common.presence.Watchlists;
import io.presence.common.pusher.Channels;
import io.presence.common.app.AppRegistry;
import io.presence.common.pusher.PusherApp;
import io.presence.user.client.RoomMembershipClient;
import io.presence.user.model.Account;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Signs Pusher channel subscriptions and user sign-ins, but only for what the caller may join:
 * {@code private-user-{id}} for that user, {@code private-dm-{a}-{b}} for two accepted contacts with no block,
 * {@code presence-room-{id}} / {@code private-room-{id}} for room members, any other {@code presence-*} for
 * any logged-in user. Everything else is refused.
 */
@ApplicationScoped
public class ChannelAuthService {

    private static final Logger LOG = Logger.getLogger(ChannelAuthService.class);

    /** What a subscription needs; {@code channelData} only for presence channels. */
    public record ChannelAuthorization(String auth, String channelData, String sharedSecret) {
    }

    /** What a user sign-in needs. */
    public record SignInAuthorization(String auth, String userData) {
    }

    /** The user_info every member carries: the id again (Laravel Echo's here() shows only user_info), handle, name, status. */
    public record UserInfo(String id, String handle, String displayName, String status, String text) {
    }

    record ChannelData(@JsonProperty("user_id") String userId, @JsonProperty("user_info") UserInfo userInfo) {
    }

    /** The signed user_data of a sign-in: the gateway tells the user when a contact on the watchlist goes online or offline. */
    record UserData(String id, @JsonProperty("user_info") UserInfo userInfo, List<String> watchlist) {
    }

    private final AppRegistry apps;
    private final AccountService accounts;
    private final ContactService contacts;
    private final RoomMembershipClient rooms;
    private final ObjectMapper json;

    public ChannelAuthService(AppRegistry apps, AccountService accounts, ContactService contacts,
                              RoomMembershipClient rooms, ObjectMapper json) {
        this.apps = apps;
        this.accounts = accounts;
        this.contacts = contacts;
        this.rooms = rooms;
        this.json = json;
    }

    public ChannelAuthorization authorizeChannel(long me, String socketId, String channel) {
        requireSocketId(socketId);
        if (!Channels.isValidName(channel, Channels.DEFAULT_MAX_NAME_LENGTH)) {
            throw new ProblemException(ProblemType.BAD_REQUEST,
                    "invalid: channel_name (1-" + Channels.DEFAULT_MAX_NAME_LENGTH + " characters of a-z, A-Z, 0-9 and -_=@,.;)");
        }
        String refusal = refusal(me, channel);
        if (refusal != null) {
            throw new ProblemException(ProblemType.FORBIDDEN, refusal);
        }
        Account account = accounts.require(me);
        PusherApp app = apps.main().signer();
        if (Channels.isPresence(channel)) {
            String channelData = write(new ChannelData(account.id.toString(), userInfo(account)));
            return new ChannelAuthorization(app.auth(PusherApp.presenceChannelText(socketId, channel, channelData)), channelData, null);
        }
        String sharedSecret = Channels.isEncrypted(channel)
                ? PusherApp.sharedSecret(channel, apps.main().encryptionMasterKeyBytes().orElseThrow()) : null;
        return new ChannelAuthorization(app.auth(PusherApp.privateChannelText(socketId, channel)), null, sharedSecret);
    }

    public SignInAuthorization authorizeSignIn(long me, String socketId) {
        requireSocketId(socketId);
        Account account = accounts.require(me);
        // the contacts most recently accepted first, as many as a watchlist may hold
        List<String> watchlist = contacts.contactsOf(me).stream().map(c -> Long.toString(c.other(me))).distinct()
                .limit(Watchlists.MAX_WATCHED).toList();
        String userData = write(new UserData(account.id.toString(), userInfo(account), watchlist));
        return new SignInAuthorization(apps.main().signer().auth(PusherApp.userSignInText(socketId, userData)), userData);
    }

    /** Why the user may not join the channel, or null when they may. */
    private String refusal(long me, String channel) {
        if (!Channels.isPrivate(channel) && !Channels.isPresence(channel)) {
            return "public channels need no authorization";
        }
        if (Channels.isEncrypted(channel)) {
            if (apps.main().encryptionMasterKeyBytes().isEmpty()) {
                return "encrypted channels need an encryption master key (PUSHER_ENCRYPTION_MASTER_KEY_BASE64)";
            }
            // private-encrypted-X follows the rule of private-X
            return refusal(me, "private-" + channel.substring("private-encrypted-".length()));
        }
        Optional<Long> owner = Channels.userChannelOwner(channel);
        if (owner.isPresent()) {
            return owner.get() == me ? null : "this is another user's channel";
        }
        Optional<long[]> pair = Channels.directChannelUsers(channel);
        if (pair.isPresent()) {
            long[] users = pair.get();
            if (users[0] != me && users[1] != me) {
                return "this is a conversation between other users";
            }
            long other = users[0] == me ? users[1] : users[0];
            return contacts.relation(me, other).mayTalk() ? null : "not allowed: no accepted contact";
        }
        Optional<Long> room = Channels.roomChannelRoom(channel);
        if (room.isPresent()) {
            return isMember(room.get(), me) ? null : "not a member of this room";
        }
        return Channels.isPresence(channel) ? null : "no rule grants this private channel";
    }

    private boolean isMember(long roomId, long me) {
        try {
            return rooms.isMember(roomId, me);
        } catch (RuntimeException e) {
            LOG.warnf("room membership check failed for room %d: %s", roomId, e.toString());
            throw new ProblemException(ProblemType.BACKEND_UNAVAILABLE, "room membership cannot be checked now, retry later");
        }
    }

    private static UserInfo userInfo(Account account) {
        String name = account.displayName == null ? account.handle : account.displayName;
        return new UserInfo(account.id.toString(), account.handle, name, "online", account.statusText);
    }

    private static void requireSocketId(String socketId) {
        if (!Channels.isValidSocketId(socketId)) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "invalid: socket_id (digits.digits)");
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
