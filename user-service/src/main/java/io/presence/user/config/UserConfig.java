package io.presence.user.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Typed settings of user-service; every key can be set by environment variable (e.g. USERS_PASSWORD_BCRYPT_COST). */
@ConfigMapping(prefix = "users")
public interface UserConfig {

    /** Password hashing. */
    Password password();

    /** Password hashing settings. */
    interface Password {

        /** bcrypt cost factor (log2 of the rounds); 10 takes ~50-100 ms per hash on a laptop core. */
        @WithDefault("10")
        int bcryptCost();
    }
}
