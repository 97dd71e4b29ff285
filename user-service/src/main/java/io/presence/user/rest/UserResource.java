package io.presence.user.rest;

import io.presence.common.http.ClientAddress;
import io.presence.common.problem.ProblemException;
import io.presence.common.problem.ProblemType;
import io.presence.common.text.Text;
import io.presence.user.mapping.AccountMapper;
import io.presence.user.model.Account;
import io.presence.user.service.AccountService;
import io.presence.user.service.ProfileChange;
import io.presence.user.service.Registration;
import io.presence.user.service.SessionService;
import io.presence.user.view.Me;
import io.presence.user.view.PasswordChange;
import io.presence.user.view.ProfileUpdate;
import io.presence.user.view.RegistrationRequest;
import io.presence.user.view.UserProfile;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriBuilder;
import org.jboss.resteasy.reactive.RestResponse;

/** Accounts: registration, public profiles, and the logged-in user's own account. */
@Path("/api/users")
@Produces(MediaType.APPLICATION_JSON)
public class UserResource {

    private final AccountService accounts;
    private final SessionService sessions;

    public UserResource(AccountService accounts, SessionService sessions) {
        this.accounts = accounts;
        this.sessions = sessions;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public RestResponse<UserProfile> register(@Valid @NotNull RegistrationRequest request, @Context HttpServerRequest http) {
        Registration registration = new Registration(request.handle(), request.password(), request.displayName(), request.status());
        Account account = accounts.register(registration, ClientAddress.of(http));
        return RestResponse.ResponseBuilder
                .<UserProfile>created(UriBuilder.fromPath("/api/users/{handle}").build(account.handle))
                .entity(AccountMapper.toProfile(account))
                .build();
    }

    @GET
    @Path("/me")
    public Me me(@Context HttpHeaders headers) {
        return AccountMapper.toMe(accounts.require(sessions.require(headers).accountId()));
    }

    @PATCH
    @Path("/me")
    @Consumes(MediaType.APPLICATION_JSON)
    public Me update(@Context HttpHeaders headers, @Valid @NotNull ProfileUpdate update) {
        ProfileChange change = new ProfileChange(update.displayName(), update.status());
        return AccountMapper.toMe(accounts.update(sessions.require(headers).accountId(), change));
    }

    /** Changes my password (the current one is asked again); my other sessions end and their sockets close. */
    @PUT
    @Path("/me/password")
    @Consumes(MediaType.APPLICATION_JSON)
    public void changePassword(@Context HttpHeaders headers, @Valid @NotNull PasswordChange change) {
        accounts.changePassword(sessions.require(headers), change.currentPassword(), change.newPassword());
    }

    @DELETE
    @Path("/me")
    public void delete(@Context HttpHeaders headers) {
        accounts.delete(sessions.require(headers).accountId());
    }

    @GET
    @Path("/{handle}")
    public UserProfile profile(@PathParam("handle") @Text String handle) {
        return accounts.findByHandle(handle).map(AccountMapper::toProfile)
                .orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "no user with handle '" + handle + "'"));
    }
}
