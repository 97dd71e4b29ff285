package io.presence.common.pusher;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One Pusher app (id, key, secret) and the signatures made with its secret: HMAC-SHA256, lowercase hex, as the
 * Pusher protocol defines them for channel authorization, user sign-in and the signed HTTP API.
 */
public record PusherApp(String id, String key, String secret) {

    private static final HexFormat HEX = HexFormat.of();

    public PusherApp {
        if (id == null || id.isBlank() || key == null || key.isBlank() || secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("a Pusher app needs a non-empty id, key and secret");
        }
    }

    /** Lowercase hex HMAC-SHA256 of the text with this app's secret. */
    public String sign(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HEX.formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** The {@code auth} value of a subscription or sign-in: {@code key:signature}. */
    public String auth(String text) {
        return key + ":" + sign(text);
    }

    /** Checks an {@code auth} value in constant time (the comparison never stops at the first differing byte). */
    public boolean verifyAuth(String auth, String text) {
        if (auth == null) {
            return false;
        }
        return MessageDigest.isEqual(auth.getBytes(StandardCharsets.UTF_8), auth(text).getBytes(StandardCharsets.UTF_8));
    }

    /** What a private channel subscription signs. */
    public static String privateChannelText(String socketId, String channel) {
        return socketId + ":" + channel;
    }

    /** What a presence channel subscription signs; channel_data exactly as sent. */
    public static String presenceChannelText(String socketId, String channel, String channelData) {
        return socketId + ":" + channel + ":" + channelData;
    }

    /** What a user sign-in signs. */
    /**
     * The secret a client decrypts a {@code private-encrypted-} channel with (sent in the authorization answer):
     * base64 of SHA-256 over the channel name followed by the app's encryption master key, as Pusher defines it.
     */
    public static String sharedSecret(String channel, byte[] encryptionMasterKey) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(channel.getBytes(StandardCharsets.UTF_8));
            sha256.update(encryptionMasterKey);
            return Base64.getEncoder().encodeToString(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String userSignInText(String socketId, String userData) {
        return socketId + "::user::" + userData;
    }

    /**
     * The query string a backend sends with a request to a Pusher-style signed API: its own parameters plus
     * auth_key, auth_timestamp, auth_version, body_md5 (when there is a body) and auth_signature over
     * {@code METHOD\nPATH\nsorted query}.
     */
    public String signedQuery(String method, String path, Map<String, String> params, byte[] body) {
        Map<String, String> sorted = new TreeMap<>(params);
        sorted.put("auth_key", key);
        sorted.put("auth_timestamp", Long.toString(System.currentTimeMillis() / 1000));
        sorted.put("auth_version", "1.0");
        if (body != null && body.length > 0) {
            sorted.put("body_md5", md5(body));
        }
        StringBuilder canonical = new StringBuilder();
        sorted.forEach((k, v) -> canonical.append(canonical.length() == 0 ? "" : "&").append(k).append('=').append(v));
        return canonical + "&auth_signature=" + sign(method + "\n" + path + "\n" + canonical);
    }

    /** Lowercase hex MD5 of a request body, as body_md5 carries it. */
    public static String md5(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "PusherApp[id=" + id + ", key=" + key + "]";
    }
}
