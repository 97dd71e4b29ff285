package io.presence.gateway.console;

import io.presence.common.http.ClientAddress;
import io.presence.gateway.console.ConsoleViews.Login;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
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

    public ConsoleSessionResource(OperatorAuth auth) {
        this.auth = auth;
    }

    /** {@code /console} without the slash opens the page; with the console off, its page is not served either. */
    void routes(@Observes Router router) {
        if (!auth.enabled()) {
            router.routeWithRegex("^/console(/.*)?$").order(-100).handler(rc -> rc.response().setStatusCode(404).end());
            return;
        }
        router.getWithRegex("^/console$").handler(rc -> rc.redirect("/console/"));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Logs in with the operator password; sets an HttpOnly session cookie for /console. Wrong passwords "
            + "are throttled per address (or per browser that logged in before): 429 with Retry-After")
    public Uni<Response> login(@Valid @NotNull Login login, @Context UriInfo uri, @Context HttpServerRequest request,
                               @CookieParam(OperatorAuth.DEVICE_COOKIE) String device, @HeaderParam(HttpHeaders.USER_AGENT) String userAgent) {
        auth.requireEnabled();
        return auth.login(login.password(), ClientAddress.of(request), device, userAgent).map(in -> Response.noContent()
                .header(HttpHeaders.SET_COOKIE, cookie(OperatorAuth.COOKIE, in.sessionToken(), "/console", auth.sessionSeconds(), uri))
                .header(HttpHeaders.SET_COOKIE, cookie(OperatorAuth.DEVICE_COOKIE, in.deviceToken(), "/console/api/session",
                        auth.deviceSeconds(), uri))
                .build());
    }

    @GET
    @OperatorOnly
    @Operation(summary = "204 while logged in, 401 otherwise")
    public Response check() {
        return Response.noContent().build();
    }

    @DELETE
    @Operation(summary = "Logs out: ends this session on every gateway and clears its cookie")
    public Uni<Response> logout(@CookieParam(OperatorAuth.COOKIE) String session, @Context UriInfo uri) {
        auth.requireEnabled();
        return auth.logout(session).replaceWith(() -> Response.noContent()
                .header(HttpHeaders.SET_COOKIE, cookie(OperatorAuth.COOKIE, "", "/console", 0, uri)).build());
    }

    private static String cookie(String name, String value, String path, long maxAge, UriInfo uri) {
        String secure = "https".equalsIgnoreCase(uri.getRequestUri().getScheme()) ? "; Secure" : "";
        return name + "=" + value + "; Path=" + path + "; Max-Age=" + maxAge + "; HttpOnly; SameSite=Strict" + secure;
    }
}
