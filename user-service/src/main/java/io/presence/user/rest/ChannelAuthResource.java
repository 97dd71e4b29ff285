package io.presence.user.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.presence.user.service.ChannelAuthService;
import io.presence.user.service.SessionService;
import io.presence.user.service.SessionSockets;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestForm;

/** The endpoints pusher-js and pusher-java-client call before private/presence subscriptions and user sign-in. */
@Path("/pusher")
@Consumes(MediaType.APPLICATION_FORM_URLENCODED)
@Produces(MediaType.APPLICATION_JSON)
public class ChannelAuthResource {

    /**
     * {@code {"auth": "key:signature", "channel_data": "...", "shared_secret": "..."}}: channel_data only for presence
     * channels, shared_secret only for encrypted ones.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ChannelAuthResponse(String auth, @JsonProperty("channel_data") String channelData,
                                      @JsonProperty("shared_secret") String sharedSecret) {
    }

    /** {@code {"auth": "key:signature", "user_data": "..."}}. */
    public record UserAuthResponse(String auth, @JsonProperty("user_data") String userData) {
    }

    private final ChannelAuthService channels;
    private final SessionService sessions;
    private final SessionSockets sessionSockets;

    public ChannelAuthResource(ChannelAuthService channels, SessionService sessions, SessionSockets sessionSockets) {
        this.channels = channels;
        this.sessions = sessions;
        this.sessionSockets = sessionSockets;
    }

    @POST
    @Path("/auth")
    public ChannelAuthResponse authorizeChannel(@Context HttpHeaders headers,
                                                @RestForm("socket_id") String socketId,
                                                @RestForm("channel_name") String channelName) {
        SessionService.Session session = sessions.require(headers);
        ChannelAuthService.ChannelAuthorization authorization = channels.authorizeChannel(session.accountId(), socketId, channelName);
        sessionSockets.record(session, socketId); // before the signature leaves: ending the session closes the socket
        return new ChannelAuthResponse(authorization.auth(), authorization.channelData(), authorization.sharedSecret());
    }

    @POST
    @Path("/user-auth")
    public UserAuthResponse authorizeSignIn(@Context HttpHeaders headers, @RestForm("socket_id") String socketId) {
        SessionService.Session session = sessions.require(headers);
        ChannelAuthService.SignInAuthorization authorization = channels.authorizeSignIn(session.accountId(), socketId);
        sessionSockets.record(session, socketId);
        return new UserAuthResponse(authorization.auth(), authorization.userData());
    }
}
