package io.presence.message.repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Reads the columns of native query rows, whatever Java type the driver and Hibernate chose for them. */
final class Rows {

    private Rows() {
    }

    static long number(Object value) {
        return ((Number) value).longValue();
    }

    static Long nullableNumber(Object value) {
        return value == null ? null : ((Number) value).longValue();
    }

    static OffsetDateTime time(Object value) {
        if (value == null || value instanceof OffsetDateTime) {
            return (OffsetDateTime) value;
        }
        if (value instanceof Instant instant) {
            return instant.atOffset(ZoneOffset.UTC);
        }
        if (value instanceof Timestamp timestamp) {
            return timestamp.toInstant().atOffset(ZoneOffset.UTC);
        }
        if (value instanceof java.time.ZonedDateTime zoned) {
            return zoned.toOffsetDateTime();
        }
        throw new IllegalArgumentException("not a timestamp: " + value.getClass().getName());
    }
}
