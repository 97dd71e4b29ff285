package io.presence.terminal.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InputTest {

    @Test
    void commandsHaveANameAndTheRestOfTheLine() {
        assertEquals(new Input("status", "busy  in a call", null), Input.parse("  /STATUS busy  in a call "));
        assertEquals(new Input("quit", "", null), Input.parse("/quit"));
        assertTrue(Input.parse("/who").isCommand());
    }

    @Test
    void textIsTrimmedAndADoubleSlashSendsASlash() {
        assertEquals(new Input(null, "", "hello"), Input.parse("  hello \t"));
        assertEquals(new Input(null, "", "/shrug"), Input.parse("//shrug"));
        assertFalse(Input.parse("//shrug").isCommand());
        assertTrue(Input.parse("   ").isBlank());
    }
}
