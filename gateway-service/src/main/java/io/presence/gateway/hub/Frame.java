package io.presence.gateway.hub;

import java.nio.charset.StandardCharsets;

/**
 * A server frame encoded once: its text, and the UTF-8 bytes that every socket it goes to writes as they are
 * (a fan-out of one event to a thousand subscribers encodes it once, not a thousand times).
 */
public final class Frame {

    private final String text;
    /** Computed on first use; a race computes equal bytes twice, which is harmless. */
    private byte[] utf8;

    public Frame(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    /** The frame's UTF-8 bytes; shared, never to be modified. */
    public byte[] utf8() {
        byte[] bytes = utf8;
        if (bytes == null) {
            bytes = text.getBytes(StandardCharsets.UTF_8);
            utf8 = bytes;
        }
        return bytes;
    }

    @Override
    public String toString() {
        return text;
    }
}
