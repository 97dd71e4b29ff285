package io.presence.terminal.api;

import java.time.Duration;
import java.util.Optional;

/** A REST call that did not succeed: the HTTP status (0 when the server could not be reached) and the server's detail. */
public final class ApiException extends RuntimeException {

    private final int status;
    private final Duration retryAfter;

    public ApiException(int status, String detail, Duration retryAfter) {
        super(detail, null, false, false);
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public int status() {
        return status;
    }

    /** How long the server asked us to wait ({@code Retry-After}), when it did. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** Worth sending again with the same idempotency key: the answer was lost or the backend was briefly away. */
    public boolean retriable() {
        return status == 0 || status == 502 || status == 503 || status == 504;
    }
}
