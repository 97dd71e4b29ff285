package io.presence.common.testing;

import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/** Runs the same call several times at once, all released together, for tests of idempotency under concurrency. */
public final class Race {

    private Race() {
    }

    /**
     * Runs {@code call} {@code racers} times in parallel; every answer must be handled ({@link Problems#assertHandled}).
     * Answers the number of answers per status code.
     */
    public static Map<Integer, Long> run(int racers, Callable<Response> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Response>> answers = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            start.countDown();
            List<Response> responses = new ArrayList<>();
            for (Future<Response> answer : answers) {
                responses.add(answer.get());
            }
            responses.forEach(r -> Problems.assertHandled(r, "racing call"));
            return responses.stream().collect(Collectors.groupingBy(Response::statusCode, Collectors.counting()));
        } finally {
            pool.shutdownNow();
        }
    }
}
