package io.presence.message.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Typed settings of message-service; every key can be set by environment variable (e.g. MESSAGES_ROOMS_LIST_LIMIT). */
@ConfigMapping(prefix = "messages")
public interface MessageConfig {

    /** Room settings. */
    Rooms rooms();

    /** History paging. */
    History history();

    /** Group commit of sends. */
    Send send();

    /** Highest unread count reported exactly; above it clients show e.g. "999+" (MESSAGES_UNREAD_CAP). */
    @WithDefault("1000")
    int unreadCap();

    /** Room settings. */
    interface Rooms {

        /** Most public rooms returned by one listing. */
        @WithDefault("200")
        int listLimit();
    }

    /** Group commit of sends: concurrent sends are stored by one INSERT and one COMMIT. */
    interface Send {

        /** Transactions of sends in flight at once; each takes whatever queued meanwhile (MESSAGES_SEND_WRITERS). */
        @WithDefault("2")
        int writers();

        /** Most sends in one transaction (MESSAGES_SEND_MAX_BATCH). */
        @WithDefault("128")
        int maxBatch();

        /**
         * How often the readers of rooms and conversations with new messages get their unread counts: one count and
         * one event per reader per interval, however many messages came (MESSAGES_SEND_UNREAD_INTERVAL).
         */
        @WithDefault("100ms")
        Duration unreadInterval();
    }

    /** History paging. */
    interface History {

        /** Messages per history page when the client names no limit (MESSAGES_HISTORY_DEFAULT_LIMIT). */
        @WithDefault("100")
        int defaultLimit();

        /** Most messages one history page may ask for (MESSAGES_HISTORY_MAX_LIMIT). */
        @WithDefault("100")
        int maxLimit();
    }
}
