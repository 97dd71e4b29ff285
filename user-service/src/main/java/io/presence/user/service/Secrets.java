package io.presence.user.service;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Random app keys and secrets, from one SecureRandom. */
final class Secrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    /** A new app key: 20 lowercase hex characters (80 random bits), as Pusher's keys look. */
    static String key() {
        return HexFormat.of().formatHex(bytes(10));
    }

    /** A new app secret: 43 URL-safe base64 characters (256 random bits). */
    static String secret() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(32));
    }

    private static byte[] bytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
