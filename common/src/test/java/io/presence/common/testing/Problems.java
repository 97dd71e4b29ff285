package io.presence.common.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/** Assertions on answers to bad input: a 2xx, or a 4xx in application/problem+json, never a 5xx. */
public final class Problems {

    private Problems() {
    }

    /** The answer is a 2xx, or a 4xx problem+json whose status matches its body; never a 5xx or a bare error. */
    public static void assertHandled(Response response, String what) {
        int status = response.statusCode();
        assertTrue(status < 500, what + ": answered " + status + " " + response.asString());
        if (status >= 400) {
            assertProblemBody(response, status, what);
        }
    }

    /**
     * Feeds every sample to every input (a name and the call that sends the sample there) and asserts each answer is
     * handled; four calls at a time, so hundreds of them take seconds. Each call's answer is checked on its own.
     */
    public static void assertAllHandled(Map<String, Function<String, Response>> inputs, List<String> samples) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> checks = new ArrayList<>();
            for (String sample : samples) {
                inputs.forEach((what, call) -> checks.add(pool.submit(
                        () -> assertHandled(call.apply(sample), what + " with " + describe(sample)))));
            }
            for (Future<?> check : checks) {
                try {
                    check.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw e.getCause() instanceof AssertionError a ? a : new AssertionError(e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** A sample as a short JSON literal for failure messages. */
    public static String describe(String sample) {
        String escaped = HostileText.json(sample);
        return escaped.length() > 60 ? escaped.substring(0, 60) + "...(" + sample.length() + " chars)" : escaped;
    }

    /** A problem+json answer with this status and type (e.g. "validation"), naming these fields if any are given. */
    public static void assertProblem(Response response, int status, String type, String... fields) {
        String what = status + " " + type;
        assertEquals(status, response.statusCode(), what + ": " + response.asString());
        assertProblemBody(response, status, what);
        assertEquals("urn:presence:problem:" + type, response.path("type"), what);
        if (fields.length > 0) {
            List<String> named = response.path("errors.field");
            assertNotNull(named, what + ": no errors list in " + response.asString());
            assertTrue(named.containsAll(List.of(fields)), what + ": fields " + named + " should name " + List.of(fields));
        }
    }

    /**
     * A 429 rate-limited problem whose Retry-After is a whole number of seconds from {@code minSeconds} to
     * {@code maxSeconds}; answers that number.
     */
    public static long assertRateLimited(Response response, long minSeconds, long maxSeconds) {
        assertProblem(response, 429, "rate-limited");
        String retryAfter = response.header("Retry-After");
        assertNotNull(retryAfter, "429 without Retry-After: " + response.asString());
        long seconds = Long.parseLong(retryAfter);
        assertTrue(seconds >= minSeconds && seconds <= maxSeconds,
                "Retry-After " + seconds + " s, expected " + minSeconds + " to " + maxSeconds);
        return seconds;
    }

    private static void assertProblemBody(Response response, int status, String what) {
        String type = response.contentType();
        assertTrue(type != null && type.startsWith("application/problem+json"), what + ": " + status + " with content type '"
                + type + "' and body " + response.asString());
        assertEquals(Integer.valueOf(status), response.path("status"), what + ": status in the body");
        assertNotNull(response.path("detail"), what + ": detail");
    }
}
