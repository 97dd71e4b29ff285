package io.presence.common.problem;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ConnectException;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which failures count as "a store is unreachable" (503) rather than a bug (500). */
class ProblemExceptionMapperTest {

    @Test
    void connectionFailuresAnywhereInTheCauseChainAreStoreOutages() {
        assertTrue(ProblemExceptionMapper.isStoreUnavailable(new IllegalStateException(new ConnectException("refused"))));
        assertTrue(ProblemExceptionMapper.isStoreUnavailable(new RuntimeException(new SQLException("gone", "08006"))));
        assertTrue(ProblemExceptionMapper.isStoreUnavailable(new SQLException("Acquisition timeout while waiting for new connection")));
    }

    @Test
    void aCommitCutOffByTheDatabaseIsAStoreOutageThoughItsErrorIsOnlySuppressed() {
        // what the transaction manager throws when PostgreSQL shuts down during COMMIT
        RuntimeException rollback = new RuntimeException("ARJUNA016053: Could not commit transaction.");
        Exception xa = new Exception("Error trying to transactionCommit local transaction");
        xa.initCause(new SQLException("FATAL: terminating connection due to administrator command", "57P01"));
        rollback.addSuppressed(xa);
        assertTrue(ProblemExceptionMapper.isStoreUnavailable(new RuntimeException("Error invoking subclass method", rollback)));
    }

    @Test
    void otherFailuresAreNot() {
        assertFalse(ProblemExceptionMapper.isStoreUnavailable(new IllegalStateException("bug")));
        assertFalse(ProblemExceptionMapper.isStoreUnavailable(new RuntimeException(new SQLException("duplicate key", "23505"))));
        RuntimeException withSuppressed = new RuntimeException("bug");
        withSuppressed.addSuppressed(new IllegalArgumentException("also a bug"));
        assertFalse(ProblemExceptionMapper.isStoreUnavailable(withSuppressed));
    }

    @Test
    void aResponseThatCannotBeWrittenIsTheServersFaultAndABadBodyTheRequests() {
        ObjectMapper json = new ObjectMapper();
        Map<String, String> nullKey = new HashMap<>();
        nullKey.put(null, "x");
        JsonProcessingException writing = assertThrows(JsonProcessingException.class, () -> json.writeValueAsString(nullKey));
        assertTrue(ProblemExceptionMapper.isResponseWriting(writing), writing.toString());
        JsonProcessingException reading = assertThrows(JsonProcessingException.class, () -> json.readTree("{\"a\":"));
        assertFalse(ProblemExceptionMapper.isResponseWriting(reading), reading.toString());
        JsonProcessingException shape = assertThrows(JsonProcessingException.class, () -> json.readValue("{\"a\":[]}", Shape.class));
        assertFalse(ProblemExceptionMapper.isResponseWriting(shape), shape.toString());
    }

    record Shape(String a) {
    }

    @Test
    void textTheDatabaseCannotStoreIsToldApartFromOtherDatabaseErrors() {
        assertTrue(ProblemExceptionMapper.isUnstorableText(new RuntimeException(new SQLException("invalid byte sequence 0x00", "22021"))));
        assertFalse(ProblemExceptionMapper.isUnstorableText(new RuntimeException(new SQLException("duplicate key", "23505"))));
    }
}
