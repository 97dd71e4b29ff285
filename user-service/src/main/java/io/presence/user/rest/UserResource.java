package io.presence.user.rest;

import io.presence.common.problem.ProblemException;
import io.presence.common.problem.ProblemType;
import io.presence.user.mapping.AccountMapper;
import io.presence.user.model.Account;
import io.presence.user.service.AccountService;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriBuilder;
import org.jboss.resteasy.reactive.RestResponse;

/** Accounts: registration and public profiles. */
@Path("/api/users")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class UserResource {

    private final AccountService accounts;

    public UserResource(AccountService accounts) {
        this.accounts = accounts;
    }

    @POST
    public RestResponse<UserProfile> register(@Valid @NotNull RegistrationRequest request) {
        Account account = accounts.register(request);
        return RestResponse.ResponseBuilder
                .<UserProfile>created(UriBuilder.fromPath("/api/users/{handle}").build(account.handle))
                .entity(AccountMapper.toProfile(account))
                .build();
    }

    @GET
    @Path("/{handle}")
    public UserProfile profile(@PathParam("handle") String handle) {
        return accounts.findByHandle(handle).map(AccountMapper::toProfile)
                .orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "no user with handle '" + handle + "'"));
    }
}
