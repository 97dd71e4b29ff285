package io.presence.user.rest;

import io.presence.common.http.ClientAddress;
import io.presence.user.config.UserConfig;
import io.presence.user.mapping.AccountMapper;
import io.presence.user.service.AccountService;
import io.presence.user.service.SessionService;
import io.presence.user.view.LoginRequest;
import io.presence.user.view.LoginResponse;
import io.presence.user.view.SessionView;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

/** Sessions: log in, "am I logged in?", log out here or everywhere. */
@Path("/api/sessions")
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {

    private final SessionService sessions;
    private final AccountService accounts;
    private final UserConfig config;

    public SessionResource(SessionService sessions, AccountService accounts, UserConfig config) {
        this.sessions = sessions;
        this.accounts = accounts;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response login(@Valid @NotNull LoginRequest request, @Context HttpServerRequest http) {
        SessionService.Login login = sessions.login(request.handle(), request.password(), ClientAddress.of(http));
        long seconds = login.ttl().toSeconds();
        return Response.status(Response.Status.CREATED)
                .cookie(cookie(login.token(), (int) seconds))
                .entity(new LoginResponse(login.token(), seconds, AccountMapper.toMe(login.account())))
                .build();
    }

    @GET
    @Path("/me")
    public SessionView me(@Context HttpHeaders headers) {
        return new SessionView(AccountMapper.toMe(accounts.require(sessions.require(headers).accountId())));
    }

    @DELETE
    @Path("/current")
    public Response logout(@Context HttpHeaders headers) {
        sessions.logout(sessions.require(headers));
        return Response.noContent().cookie(cookie("", 0)).build();
    }

    @DELETE
    public Response logoutEverywhere(@Context HttpHeaders headers) {
        sessions.logoutEverywhere(sessions.require(headers).accountId());
        return Response.noContent().cookie(cookie("", 0)).build();
    }

    private NewCookie cookie(String token, int maxAgeSeconds) {
        return new NewCookie.Builder(config.session().cookieName())
                .value(token)
                .path("/")
                .httpOnly(true)
                .secure(config.session().cookieSecure())
                .sameSite(NewCookie.SameSite.LAX)
                .maxAge(maxAgeSeconds)
                .build();
    }
}
