package io.presence.message.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Typed settings of message-service; every key can be set by environment variable (e.g. MESSAGES_ROOMS_LIST_LIMIT). */
@ConfigMapping(prefix = "messages")
public interface MessageConfig {

    /** Room settings. */
    Rooms rooms();

    /** Room settings. */
    interface Rooms {

        /** Most public rooms returned by one listing. */
        @WithDefault("200")
        int listLimit();
    }
}
