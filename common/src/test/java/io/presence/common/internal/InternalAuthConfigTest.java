package io.presence.common.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which presented tokens the shared service token accepts: exactly itself, and nothing when none is configured. */
class InternalAuthConfigTest {

    @Test
    void onlyTheConfiguredTokenItselfIsAccepted() {
        InternalAuthConfig config = () -> Optional.of("s3cret-token");
        assertTrue(config.accepts("s3cret-token"));
        assertFalse(config.accepts("s3cret-toke"));
        assertFalse(config.accepts("s3cret-token "));
        assertFalse(config.accepts("S3CRET-TOKEN"));
        assertFalse(config.accepts(""));
        assertFalse(config.accepts(null));
    }

    @Test
    void withoutAConfiguredTokenNothingIsAccepted() {
        InternalAuthConfig none = Optional::empty;
        InternalAuthConfig blank = () -> Optional.of("  ");
        assertFalse(none.accepts(""));
        assertFalse(none.accepts(null));
        assertFalse(blank.accepts("  "));
    }
}
