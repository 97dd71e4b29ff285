package io.presence.systemtest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Budgets for services started by the system tests and benchmarks: they register hundreds of users and send
 * thousands of messages, all from this machine, far beyond the budgets of one real address or user. Each budget is
 * tried at its limit in its own service's tests.
 */
public final class TestBudgets {

    private TestBudgets() {
    }

    /** Environment overrides for one service: only the budgets its application.properties defines. */
    public static Map<String, String> forService(String service) {
        List<String> budgets = switch (service) {
            case "user-service" -> List.of("REGISTRATION", "CONTACT_REQUESTS");
            case "message-service" -> List.of("MESSAGES", "INVITATIONS");
            default -> List.of();
        };
        Map<String, String> env = new LinkedHashMap<>();
        for (String budget : budgets) {
            env.put("BUDGETS_" + budget + "_LIMIT", "1000000");
            env.put("BUDGETS_" + budget + "_PER", "1h");
        }
        return env;
    }
}
