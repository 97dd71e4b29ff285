package io.presence.terminal.realtime;

import com.pusher.client.AuthorizationFailureException;
import com.pusher.client.ChannelAuthorizer;
import io.presence.terminal.api.ApiException;
import io.presence.terminal.api.SuiteApi;

/** Authorizes private and presence subscriptions at the gateway's {@code /pusher/auth} with the session's token. */
public final class SessionAuthorizer implements ChannelAuthorizer {

    private final SuiteApi api;

    public SessionAuthorizer(SuiteApi api) {
        this.api = api;
    }

    @Override
    public String authorize(String channelName, String socketId) {
        try {
            return api.authorizeChannel(socketId, channelName);
        } catch (ApiException e) {
            throw new AuthorizationFailureException(e.getMessage(), e);
        }
    }

    /** The HTTP status of a failed authorization (0 when the server could not be reached). */
    static int statusOf(Exception failure) {
        return failure != null && failure.getCause() instanceof ApiException e ? e.status() : 0;
    }
}
