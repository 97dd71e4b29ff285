package io.presence.user.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** One counted bcrypt check per call, and a dummy hash made like the stored ones that no password matches. */
class PasswordHasherTest {

    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    // the cheapest cost: what is checked here is the work counted, not its price
    private final PasswordHasher hasher = new PasswordHasher(4, metrics);

    private double checks() {
        return metrics.get(PasswordHasher.CHECKS).counter().count();
    }

    @Test
    void theDummyHashHasTheAlgorithmAndCostOfAStoredOne() {
        String stored = hasher.hash("correct horse");
        // modular crypt format: "$2a$04$" names the algorithm and the cost, 53 characters of salt and hash follow
        assertEquals(stored.substring(0, 7), hasher.dummyHash().substring(0, 7));
        assertEquals(stored.length(), hasher.dummyHash().length());
        assertEquals(0, checks(), "making hashes is not checking passwords");
    }

    @Test
    void eachCheckCountsOnceAndOnlyTheRightPasswordOfAnAccountMatches() {
        String stored = hasher.hash("correct horse");
        assertTrue(hasher.matches("correct horse", stored));
        assertEquals(1, checks());
        assertFalse(hasher.matches("wrong horse", stored));
        assertEquals(2, checks());
        assertFalse(hasher.matchesNoAccount("correct horse"));
        assertEquals(3, checks());
        assertFalse(hasher.matchesNoAccount(""));
        assertEquals(4, checks());
    }

    @Test
    void aPasswordLongerThanBcryptReadsNeverMatchesYetCostsOneCheck() {
        String start = "x".repeat(PasswordHasher.MAX_BYTES);
        String stored = hasher.hash(start);
        assertFalse(PasswordHasher.fits(start + "y"));
        // bcrypt alone reads only the first 72 bytes, and would let this in
        assertFalse(hasher.matches(start + "y", stored));
        assertFalse(hasher.matchesNoAccount(start + "y"));
        assertEquals(2, checks());
    }
}
