package io.presence.terminal.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** The chat connects as a resumable client: its client id in the path pusher-java-client builds. */
class ResumableOptionsTest {

    @Test
    void theClientIdGoesBeforeTheAppPathAndTheRestStays() {
        ResumableOptions options = new ResumableOptions();
        options.setHost("chat.example").setWsPort(8080).setUseTLS(false);
        URI url = URI.create(options.buildUrl("app-key"));
        assertEquals("/c/" + options.clientId() + "/app/app-key", url.getPath());
        assertEquals("chat.example", url.getHost());
        assertEquals(8080, url.getPort());
        assertTrue(url.getQuery().contains("protocol="), url.toString());
        assertTrue(options.clientId().matches("[A-Za-z0-9_-]{22}"), options.clientId());
        assertNotEquals(options.clientId(), new ResumableOptions().clientId(), "a new id per run");
    }
}
