package io.presence.common.budget;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.presence.common.problem.ProblemException;
import io.presence.common.problem.ProblemType;
import io.presence.common.redis.RedisScript;
import io.presence.common.store.PresenceStoreConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Cluster-wide budgets of expensive actions (registrations per address, messages per user, ...): each named budget
 * of {@link BudgetsConfig} lets one subject take {@code limit} at once and one more each {@code per / limit} after
 * that, counted atomically in Redis ({@code budget.lua}, key {@code <prefix>:budget:{<budget>:<subject>}}) so every
 * replica agrees and parallel requests cannot slip past the count. A refusal is a 429 problem with Retry-After,
 * counted in {@code budgets.refusals{budget}}. When Redis cannot answer, the action is let through (the services
 * that need Redis for their own work fail anyway; message-service must keep working without it), counted in
 * {@code budgets.unchecked{budget}} and logged at most once a minute.
 */
@ApplicationScoped
public class Budgets {

    private static final Logger LOG = Logger.getLogger(Budgets.class);
    private static final RedisScript SCRIPT = RedisScript.load("budget.lua");
    /** Longest a blocking caller waits for Redis' answer before letting the action through unchecked. */
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(5);
    private static final long WARN_EVERY_MILLIS = 60_000;

    /** What a budget said: taken, or refused until {@code retryAfter} has passed. */
    public record Verdict(boolean allowed, Duration retryAfter) {

        static final Verdict ALLOWED = new Verdict(true, Duration.ZERO);

        /** Retry-After in whole seconds, at least 1. */
        public long retryAfterSeconds() {
            return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        }
    }

    private final Redis redis;
    private final String prefix;
    private final Map<String, BudgetsConfig.Budget> budgets;
    private final MeterRegistry metrics;
    private final AtomicLong lastWarning = new AtomicLong();

    public Budgets(Redis redis, PresenceStoreConfig store, BudgetsConfig config, MeterRegistry metrics) {
        this.redis = redis;
        this.prefix = store.keyPrefix();
        this.budgets = config.budgets();
        this.metrics = metrics;
    }

    /** Takes one from the subject's budget. */
    public Uni<Verdict> take(String budget, String subject) {
        return take(budget, subject, 1);
    }

    /**
     * Takes {@code cost} from the subject's budget, all or nothing. A cost over the limit is never allowed: it is
     * refused for a whole period, as the caller must ask for less at a time.
     */
    public Uni<Verdict> take(String budget, String subject, int cost) {
        BudgetsConfig.Budget limits = limits(budget);
        if (limits.limit() < 0 || cost <= 0) {
            return Uni.createFrom().item(Verdict.ALLOWED);
        }
        if (cost > limits.limit()) {
            return Uni.createFrom().item(refused(budget, limits.per().toMillis()));
        }
        return SCRIPT.run(redis, List.of(key(budget, subject)),
                        List.of(Integer.toString(limits.limit()), Long.toString(limits.per().toMillis()), Integer.toString(cost)))
                .map(answer -> verdict(budget, answer))
                .onFailure().recoverWithItem(err -> unchecked(budget, err));
    }

    /** Takes one from the subject's budget or fails with the 429 problem (see {@link #refusal}). */
    public Uni<Void> check(String budget, String subject, int cost) {
        return take(budget, subject, cost).map(verdict -> {
            if (!verdict.allowed()) {
                throw refusal(budget, verdict);
            }
            return null;
        });
    }

    /** Blocking form of {@link #check}: returns when taken, throws the 429 problem when refused. */
    public void require(String budget, String subject) {
        require(budget, subject, 1);
    }

    /** Blocking form of {@link #check} for a cost other than one. */
    public void require(String budget, String subject, int cost) {
        Verdict verdict = take(budget, subject, cost)
                .ifNoItem().after(ANSWER_WITHIN).recoverWithItem(() -> unchecked(budget, new IllegalStateException("no answer")))
                .await().indefinitely();
        if (!verdict.allowed()) {
            throw refusal(budget, verdict);
        }
    }

    /** The 429 problem+json answer to a refusal, with Retry-After in seconds. */
    public static ProblemException refusal(String budget, Verdict verdict) {
        long seconds = verdict.retryAfterSeconds();
        return new ProblemException(ProblemType.RATE_LIMITED,
                "over the " + budget + " budget, retry in " + seconds + " s",
                Map.of("Retry-After", Long.toString(seconds)));
    }

    private BudgetsConfig.Budget limits(String budget) {
        BudgetsConfig.Budget limits = budgets.get(budget);
        if (limits == null) {
            throw new IllegalStateException("no budget named " + budget + " is configured (budgets." + budget + ".limit/per)");
        }
        return limits;
    }

    private String key(String budget, String subject) {
        return prefix + ":budget:{" + budget + ":" + subject + "}";
    }

    private Verdict verdict(String budget, Response answer) {
        BudgetReply reply = BudgetReply.decode(answer);
        if (reply.taken()) {
            return Verdict.ALLOWED;
        }
        return refused(budget, reply.waitMillis());
    }

    /** The reply of {@code redis/budget.lua}, read in this one place: {@code {1, 0}} when taken, {@code {0, wait ms}} when refused. */
    private record BudgetReply(boolean taken, long waitMillis) {

        static BudgetReply decode(Response reply) {
            return new BudgetReply(reply.get(0).toInteger() == 1, reply.get(1).toLong());
        }
    }

    private Verdict refused(String budget, long waitMillis) {
        Counter.builder("budgets.refusals").description("Actions refused by a budget")
                .tag("budget", budget).register(metrics).increment();
        return new Verdict(false, Duration.ofMillis(waitMillis));
    }

    private Verdict unchecked(String budget, Throwable err) {
        Counter.builder("budgets.unchecked").description("Actions let through because the budget's store did not answer")
                .tag("budget", budget).register(metrics).increment();
        long now = System.currentTimeMillis();
        long last = lastWarning.get();
        if (now - last >= WARN_EVERY_MILLIS && lastWarning.compareAndSet(last, now)) {
            LOG.warnf("budget %s not checked, Redis did not answer: %s", budget, err.toString());
        }
        return Verdict.ALLOWED;
    }
}
