package io.presence.gateway.api;

import io.presence.common.app.App;
import io.presence.common.app.AppLimits;
import io.presence.common.app.AppMeters;
import io.presence.common.app.AppRates;
import io.presence.common.problem.ProblemException;
import io.presence.common.problem.ProblemType;
import io.presence.common.pusher.Channels;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/** Holds HTTP API requests to the app's limits (per-second budgets, channel names), counting each refusal. */
@ApplicationScoped
public class ApiLimits {

    private final AppRates rates;
    private final AppMeters meters;

    public ApiLimits(AppRates rates, AppMeters meters) {
        this.rates = rates;
        this.meters = meters;
    }

    /** Takes {@code n} from the app's per-second budget of a kind, or fails with 429 (counted) when it is spent. */
    Uni<Void> withinBudget(App app, String kind, int n) {
        boolean events = kind.equals(AppRates.EVENTS);
        Integer limit = events ? app.limits().maxBackendEventsPerSecond() : app.limits().maxReadRequestsPerSecond();
        return rates.take(app.id(), kind, n, limit).invoke(ok -> {
            if (!ok) {
                String what = events ? "maxBackendEventsPerSecond" : "maxReadRequestsPerSecond";
                throw refused(app, what, new ProblemException(ProblemType.RATE_LIMITED,
                        "over the app's " + what + " (" + limit + ")", Map.of("Retry-After", "1")));
            }
        }).replaceWithVoid();
    }

    void requireChannel(App app, String channel) {
        Integer max = app.limits().maxChannelNameLength();
        if (!AppLimits.within(channel.length(), max)) {
            throw refused(app, "maxChannelNameLength", bad("Channel name is too long: at most " + max + " characters"));
        }
        if (!Channels.isValidName(channel, Integer.MAX_VALUE)) {
            throw bad("invalid channel name " + channel);
        }
    }

    /** Counts a refusal of the app by a limit and gives back the problem to answer with. */
    ProblemException refused(App app, String limit, ProblemException problem) {
        meters.refused(app.id(), limit);
        return problem;
    }

    static ProblemException bad(String detail) {
        return new ProblemException(ProblemType.BAD_REQUEST, detail);
    }
}
