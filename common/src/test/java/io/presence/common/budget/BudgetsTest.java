package io.presence.common.budget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.presence.common.budget.Budgets.Verdict;
import io.presence.common.problem.ProblemException;
import io.presence.common.problem.ProblemType;
import io.presence.common.redis.TestRedis;
import io.presence.common.testing.Inbox;
import io.smallrye.mutiny.Multi;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Budgets count exactly under parallel takes, refuse with a sensible wait, give back over time and never fail shut. */
class BudgetsTest {

    private static final Duration WAIT = Inbox.CEILING;
    private static final Map<String, String> CONFIG = Map.of(
            "budgets.hourly.limit", "5", "budgets.hourly.per", "1h",
            "budgets.quick.limit", "2", "budgets.quick.per", "300ms",
            "budgets.unlimited.limit", "-1", "budgets.unlimited.per", "1s");

    private static TestRedis redis;
    private static SimpleMeterRegistry metrics;
    private static Budgets budgets;

    @BeforeAll
    static void connect() {
        redis = TestRedis.standalone();
        metrics = new SimpleMeterRegistry();
        budgets = redis.budgets(CONFIG, metrics);
    }

    @AfterAll
    static void disconnect() {
        redis.close();
    }

    private static Verdict take(String budget, String subject, int cost) {
        return budgets.take(budget, subject, cost).await().atMost(WAIT);
    }

    private static String subject() {
        return "s-" + UUID.randomUUID();
    }

    @Test
    void theLimitIsTakenAtOnceThenRefusedWithTheWaitForTheNextOne() {
        String subject = subject();
        for (int i = 0; i < 5; i++) {
            assertTrue(take("hourly", subject, 1).allowed(), "take " + (i + 1) + " of 5");
        }
        Verdict over = take("hourly", subject, 1);
        assertFalse(over.allowed());
        // one is given back every 12 minutes (1h / 5): the wait is at most that, and more than a few minutes
        assertTrue(over.retryAfter().compareTo(Duration.ofMinutes(12)) <= 0, over.toString());
        assertTrue(over.retryAfter().compareTo(Duration.ofMinutes(11)) > 0, over.toString());
        assertEquals(12 * 60, over.retryAfterSeconds());
        assertTrue(take("hourly", subject(), 1).allowed(), "another subject has its own budget");
    }

    @Test
    void parallelTakesAreCountedExactly() {
        String subject = subject();
        List<Verdict> verdicts = Multi.createFrom().iterable(IntStream.range(0, 40).boxed().toList())
                .onItem().transformToUniAndMerge(i -> budgets.take("hourly", subject))
                .collect().asList().await().atMost(WAIT);
        assertEquals(40, verdicts.size());
        assertEquals(5, verdicts.stream().filter(Verdict::allowed).count(), "exactly the limit of 40 parallel takes");
        double refusals = metrics.get("budgets.refusals").tag("budget", "hourly").counter().count();
        assertTrue(refusals >= 35, "each refusal counted: " + refusals);
    }

    @Test
    void aCostIsTakenWholeOrNotAtAllAndOneOverTheLimitNever() {
        String subject = subject();
        assertTrue(take("hourly", subject, 3).allowed());
        assertFalse(take("hourly", subject, 3).allowed(), "3 more would pass 5");
        assertTrue(take("hourly", subject, 2).allowed(), "the refused 3 were not taken");
        assertFalse(take("hourly", subject(), 6).allowed(), "more than the limit at once is never allowed");
    }

    @Test
    void theBudgetIsGivenBackOverItsPeriod() {
        String subject = subject();
        assertTrue(take("quick", subject, 1).allowed());
        assertTrue(take("quick", subject, 1).allowed());
        Verdict over = take("quick", subject, 1);
        assertFalse(over.allowed());
        assertTrue(over.retryAfter().toMillis() <= 150, over.toString());
        Awaitility.await().atMost(WAIT).until(() -> take("quick", subject, 1).allowed());
    }

    @Test
    void noLimitAllowsEverythingAndAnUnknownBudgetIsAProgrammingError() {
        String subject = subject();
        for (int i = 0; i < 100; i++) {
            assertTrue(take("unlimited", subject, 1000).allowed());
        }
        assertThrows(IllegalStateException.class, () -> budgets.take("nonexistent", subject));
    }

    @Test
    void requireThrowsThe429ProblemWithRetryAfter() {
        String subject = subject();
        for (int i = 0; i < 5; i++) {
            budgets.require("hourly", subject);
        }
        ProblemException refused = assertThrows(ProblemException.class, () -> budgets.require("hourly", subject));
        assertEquals(ProblemType.RATE_LIMITED, refused.type());
        assertEquals("720", refused.headers().get("Retry-After"));
        assertTrue(refused.getMessage().contains("hourly"), refused.getMessage());
        assertThrows(ProblemException.class, () -> budgets.check("hourly", subject, 1).await().atMost(WAIT));
    }

    @Test
    void withoutRedisTheActionIsLetThroughAndCounted() {
        try (TestRedis nowhere = TestRedis.at("redis://127.0.0.1:1")) {
            SimpleMeterRegistry counted = new SimpleMeterRegistry();
            Budgets unreachable = nowhere.budgets(CONFIG, counted);
            assertTrue(unreachable.take("hourly", subject(), 1).await().atMost(WAIT).allowed());
            unreachable.require("hourly", subject());
            assertEquals(2.0, counted.get("budgets.unchecked").tag("budget", "hourly").counter().count());
        }
    }
}
