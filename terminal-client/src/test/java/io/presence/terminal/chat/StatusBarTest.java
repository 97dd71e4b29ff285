package io.presence.terminal.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.presence.terminal.realtime.Realtime;
import io.presence.terminal.ui.Theme;
import org.junit.jupiter.api.Test;

class StatusBarTest {

    private final Theme plain = new Theme(false);

    @Test
    void showsConnectionMyStatusTheRoomAndAnnouncements() {
        StatusBar bar = new StatusBar();
        bar.connection(Realtime.State.CONNECTED);
        bar.me("ana", "busy", "lunch");
        bar.view("#tea");
        bar.here(3);
        bar.notice("bob joined", 0);
        bar.activity("#random");
        bar.activity("#random");
        assertEquals("[connected] ana (busy: lunch) | #tea, 3 here | bob joined | act: #random 2 ", bar.line(plain).toString());
        assertEquals("#tea> ", bar.prompt().toString());
    }

    @Test
    void typistsShowForOneAndAHalfSecondsAfterTheirLastEvent() {
        StatusBar bar = new StatusBar();
        assertTrue(bar.typing("2", "bob", 0));
        assertFalse(bar.typing("2", "bob", 1_000_000_000L), "still typing: not new");
        assertEquals("bob is typing...", bar.typingText());
        assertTrue(bar.typing("3", "cy", 1_000_000_000L));
        assertEquals("bob and cy are typing...", bar.typingText());
        assertFalse(bar.expire(2_000_000_000L));
        assertTrue(bar.expire(2_500_000_000L));
        assertNull(bar.typingText());
    }

    @Test
    void aMessageFromATypistEndsTheirIndicator() {
        StatusBar bar = new StatusBar();
        bar.typing("2", "bob", 0);
        assertTrue(bar.stopTyping("2"));
        assertNull(bar.typingText());
    }
}
