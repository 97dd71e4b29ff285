package io.presence.common.redis;

import java.nio.charset.StandardCharsets;

/** The Redis Cluster slot of a key or shard channel: CRC16 (XMODEM) of its hash tag, or of all of it, modulo 16384. */
public final class ClusterSlots {

    public static final int COUNT = 16384;

    private ClusterSlots() {
    }

    public static int of(String key) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        int start = 0;
        int end = bytes.length;
        int open = indexOf(bytes, '{', 0);
        if (open >= 0) {
            int close = indexOf(bytes, '}', open + 1);
            if (close > open + 1) { // an empty tag "{}" does not count: the whole key is hashed
                start = open + 1;
                end = close;
            }
        }
        return crc16(bytes, start, end) & (COUNT - 1);
    }

    private static int indexOf(byte[] bytes, char c, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static int crc16(byte[] bytes, int start, int end) {
        int crc = 0;
        for (int i = start; i < end; i++) {
            crc ^= (bytes[i] & 0xff) << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            crc &= 0xffff;
        }
        return crc;
    }
}
