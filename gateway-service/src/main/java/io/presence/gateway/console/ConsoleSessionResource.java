package io.presence.gateway.console;

import io.presence.gateway.console.ConsoleViews.Login;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The operator's session: log in with the password (a cookie for the console page), check it, log out. */
@Path("/console/api/session")
@Tag(name = "Operator console")
public class ConsoleSessionResource {

    private final OperatorAuth auth;
    private final ConsoleConfig config;

    public ConsoleSessionResource(OperatorAuth auth, ConsoleConfig config) {
        this.auth = auth;
        this.config = config;
    }

    /** {@code /console} without the slash opens the page; with the console off, its page is not served either. */
    void routes(@Observes Router router) {
        if (!config.enabled()) {
            router.routeWithRegex("^/console(/.*)?$").order(-100).handler(rc -> rc.response().setStatusCode(404).end());
            return;
        }
        router.getWithRegex("^/console$").handler(rc -> rc.redirect("/console/"));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Logs in with the operator password; sets an HttpOnly session cookie for /console")
    public Response login(@Valid @NotNull Login login, @Context UriInfo uri) {
        auth.requireEnabled();
        String token = auth.login(login.password());
        return Response.noContent().header(HttpHeaders.SET_COOKIE, cookie(token, auth.sessionSeconds(), uri)).build();
    }

    @GET
    @OperatorOnly
    @Operation(summary = "204 while logged in, 401 otherwise")
    public Response check() {
        return Response.noContent().build();
    }

    @DELETE
    @Operation(summary = "Logs out (clears the session cookie)")
    public Response logout(@Context UriInfo uri) {
        return Response.noContent().header(HttpHeaders.SET_COOKIE, cookie("", 0, uri)).build();
    }

    private static String cookie(String value, long maxAge, UriInfo uri) {
        String secure = "https".equalsIgnoreCase(uri.getRequestUri().getScheme()) ? "; Secure" : "";
        return OperatorAuth.COOKIE + "=" + value + "; Path=/console; Max-Age=" + maxAge + "; HttpOnly; SameSite=Strict" + secure;
    }
}
