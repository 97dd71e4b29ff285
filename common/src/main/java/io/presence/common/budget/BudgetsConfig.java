package io.presence.common.budget;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithParentName;
import java.time.Duration;
import java.util.Map;

/** The budgets of expensive actions, by name: {@code budgets.<name>.limit} per {@code budgets.<name>.per}. */
@ConfigMapping(prefix = "budgets")
public interface BudgetsConfig {

    /** Each budget by its name (the name the code asks for, e.g. {@code registration}). */
    @WithParentName
    Map<String, Budget> budgets();

    /** How much of an action one subject (an address, a user, a caller) may take. */
    interface Budget {

        /** How many a subject may take at once and per period; -1 for no limit. */
        int limit();

        /** The period over which the limit is given back, evenly (one each {@code per / limit}). */
        Duration per();
    }
}
