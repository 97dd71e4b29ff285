package io.presence.common.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.presence.common.budget.Budgets;
import io.presence.common.budget.BudgetsConfig;
import java.time.Duration;

/** Helpers for tests of a service's budgets at their limit and one over. */
public final class BudgetTests {

    private BudgetTests() {
    }

    /** The budget as configured, asserted to be {@code limit} per {@code per}: the default every deployment gets. */
    public static BudgetsConfig.Budget assertDefault(BudgetsConfig config, String budget, int limit, Duration per) {
        BudgetsConfig.Budget configured = config.budgets().get(budget);
        assertEquals(limit, configured.limit(), budget + ".limit");
        assertEquals(per, configured.per(), budget + ".per");
        return configured;
    }

    /**
     * Takes all of the subject's budget but one, as if by earlier calls, for a budget whose test profile limit is too
     * generous to reach by calls; answers the budget.
     */
    public static BudgetsConfig.Budget takeAllButOne(Budgets budgets, BudgetsConfig config, String budget, String subject) {
        BudgetsConfig.Budget configured = config.budgets().get(budget);
        assertTrue(budgets.take(budget, subject, configured.limit() - 1).await().indefinitely().allowed());
        return configured;
    }

    /** How long one comes back (per / limit) in whole seconds, at least 1: the most a Retry-After may say after one over. */
    public static long oneBackSeconds(BudgetsConfig.Budget budget) {
        return Math.max(1, (budget.per().toMillis() / budget.limit() + 999) / 1000);
    }

    /** The refusals of a budget so far ({@code budgets.refusals{budget}}). */
    public static double refusals(MeterRegistry metrics, String budget) {
        Counter counter = metrics.find("budgets.refusals").tag("budget", budget).counter();
        return counter == null ? 0 : counter.count();
    }
}
