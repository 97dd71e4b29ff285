package io.presence.systemtest;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * A test class that runs on the {@link SharedSuite}: it gets the running suite and holds the suite's lock, so classes
 * on the shared suite take turns while classes with services of their own may run beside them.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(SharedSuite.class)
@ResourceLock(SharedSuite.LOCK)
@interface OnSharedSuite {
}
