package io.presence.common.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The one rule for a test that needs a program of the machine (Chromium, tmux, redis-server, Node.js): under CI
 * ({@code CI=true}, as {@code .ci/run} runs) a missing program fails the test with one line naming it and how to
 * install it, so a CI machine without it cannot go green having checked nothing; on a developer's machine the test is
 * skipped with that same line as the reason, which {@code .ci/run}'s summary lists.
 */
public final class RequiredTool {

    private RequiredTool() {
    }

    /** True when this run is CI's ({@code CI} set to {@code true} or {@code 1}). */
    public static boolean underCi() {
        String ci = System.getenv("CI");
        return ci != null && (ci.equalsIgnoreCase("true") || ci.equals("1"));
    }

    /**
     * Goes on when {@code available}; otherwise fails (under CI) or skips this test (elsewhere).
     *
     * @param available whether the program was found
     * @param tool      what is missing, e.g. "redis-server and redis-cli"
     * @param install   how to get it, e.g. "apt-get install redis-server"
     */
    public static void require(boolean available, String tool, String install) {
        if (available) {
            return;
        }
        String line = "missing tool: " + tool + " (" + install + ")";
        if (underCi()) {
            Assertions.fail("CI=true and " + line + "; .ci/run installs it on a Debian machine");
        }
        Assumptions.abort("skipped, " + line);
    }
}
