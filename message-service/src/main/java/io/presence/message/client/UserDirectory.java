package io.presence.message.client;

import io.presence.common.presence.RelationVersions;
import io.presence.common.problem.ProblemException;
import io.presence.common.problem.ProblemType;
import io.presence.common.session.SessionLookup;
import io.presence.common.session.SessionUser;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.cache.CacheResult;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Who the caller is and whether two users may talk, asked of user-service (which owns sessions and contacts).
 * Answers are cached briefly (sessions: {@code quarkus.cache.caffeine.sessions}, relations:
 * {@code quarkus.cache.caffeine.relations}, and only while the relation's version is unchanged); failures never are. user-service unreachable or failing is a 503,
 * never a 500 and never a silent "allowed".
 */
@ApplicationScoped
public class UserDirectory {

    private static final Logger LOG = Logger.getLogger(UserDirectory.class);
    private static final Map<String, String> RETRY = Map.of("Retry-After", "2");

    private final UserServiceApi api;
    private final SessionLookup sessions;
    private final RelationVersions versions;
    private final Cache sessionCache;

    public UserDirectory(@RestClient UserServiceApi api, RelationVersions versions, @CacheName("sessions") Cache sessionCache) {
        this.api = api;
        this.sessionCache = sessionCache;
        this.sessions = new SessionLookup(api::me, "log in first: no session token or cookie");
        this.versions = versions;
    }

    /** Contact and block state of two users, as user-service answers it. */
    public record Relation(boolean contacts, boolean aBlocksB, boolean bBlocksA, boolean mayTalk) {
    }

    /** The user behind this request's {@code Authorization} and {@code Cookie} headers; 401 without a live session. */
    public SessionUser user(HttpHeaders headers) {
        return user(headers.getHeaderString(HttpHeaders.AUTHORIZATION), headers.getHeaderString(HttpHeaders.COOKIE));
    }

    /** The user behind these credentials, passed on unchanged; only a hash of them is kept, as the cache key. */
    public SessionUser user(String authorization, String cookie) {
        return userAsync(authorization, cookie).await().indefinitely();
    }

    /**
     * As {@link #user(String, String)} without blocking: a cached session answers at once on the calling thread;
     * otherwise user-service is asked (failures are not cached).
     */
    public Uni<SessionUser> userAsync(String authorization, String cookie) {
        return sessionCache.getAsync(SessionLookup.credentialHash(authorization, cookie), hash -> sessions.user(authorization, cookie));
    }

    /**
     * Contact and block state between users a and b. A cached answer is used only while the pair's relation version
     * is the one it was cached under (user-service counts it up after each change), so a block or an accepted
     * contact takes effect at once; when the version cannot be read, user-service is asked every time.
     */
    public Relation relation(long a, long b) {
        OptionalLong version = versions.current(a, b);
        return version.isPresent() ? cachedRelation(a, b, version.getAsLong()) : askRelation(a, b);
    }

    @CacheResult(cacheName = "relations")
    Relation cachedRelation(long a, long b, long version) {
        return askRelation(a, b);
    }

    private Relation askRelation(long a, long b) {
        UserServiceApi.RelationAnswer r = call(() -> api.relation(a, b), "relation check");
        if (r == null) {
            throw unavailable("relation check", "user-service answered without a body");
        }
        return new Relation(r.contacts(), r.aBlocksB(), r.bBlocksA(), r.mayTalk());
    }

    private <T> T call(Supplier<T> request, String what) {
        try {
            return request.get();
        } catch (WebApplicationException e) {
            int status = e.getResponse().getStatus();
            if (status == 401) {
                throw new ProblemException(ProblemType.UNAUTHORIZED, "log in first: no valid session");
            }
            throw unavailable(what, "user-service answered " + status);
        } catch (ProcessingException e) {
            throw unavailable(what, e.toString());
        }
    }

    private static ProblemException unavailable(String what, String why) {
        LOG.warnf("%s failed: %s", what, why);
        return new ProblemException(ProblemType.BACKEND_UNAVAILABLE,
                "user-service cannot be asked now (" + what + "), retry later", RETRY);
    }
}
