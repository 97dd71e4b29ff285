package io.presence.common.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generated text for property-style tests of every text input: the strings that broke services before (NUL, lone
 * surrogates, control characters, very long ones) and seeded random mixes of their characters with ordinary ones.
 * The same seed gives the same strings, so a failure can be replayed.
 */
public final class HostileText {

    /** Characters mixed into the random strings: each is invalid somewhere or has tripped up text handling. */
    private static final char[] NASTY = {'\u0000', '\u0001', '\u0008', '\t', '\n', '\r', '\u001b', '\u007f', '\u0085',
            '\u009f', '\ud800', '\udbff', '\udc00', '\udfff', '\u200b', '\u202e', '\ufeff', '\ufffe', '\uffff', '%', '"',
            '\\', '\'', '<', '/', '?', '#', '&', '=', ';', '.', ' '};
    private static final String PLAIN = "abcxyzABC019_-é漢";

    private HostileText() {
    }

    /** The fixed cases, then {@code randomCount} random ones from {@code seed}. */
    public static List<String> samples(long seed, int randomCount) {
        List<String> samples = new ArrayList<>(List.of(
                "a\u0000b", "\u0000", "\u0000".repeat(300), "\ud800", "x\udc00y", "\ud83d", "ok\ud83d\ude00\ud83d",
                "a\u0001b", "\u001b[31mred", "\u007f", "\u0085", "tab\tin", "line\nbreak", "\r\n", "\u202egnp.exe",
                "\ufeffbom", "\uffff", "\ud83d\ude00", "%00", "%%%", "'; DROP TABLE accounts; --", "<script>x</script>",
                "../../etc/passwd", "   ", "x".repeat(5_000), "é".repeat(3_000), "a\u0000".repeat(20_000)));
        Random random = new Random(seed);
        for (int i = 0; i < randomCount; i++) {
            int length = 1 + random.nextInt(random.nextInt(10) == 0 ? 2_000 : 24);
            StringBuilder text = new StringBuilder(length);
            for (int j = 0; j < length; j++) {
                text.append(random.nextInt(3) == 0 ? NASTY[random.nextInt(NASTY.length)] : PLAIN.charAt(random.nextInt(PLAIN.length())));
            }
            samples.add(text.toString());
        }
        return samples;
    }

    /** The default sample set of the suite's tests. */
    public static List<String> samples() {
        return samples(17, 16);
    }

    /**
     * The samples that fit in a URL: percent-encoded at most {@value #MAX_URL_SAMPLE} characters. Longer request
     * lines than 16 times quarkus.http.limits.max-initial-line-length never reach the services (Vert.x's HTTP decoder
     * answers them with a bare 414, see RequestLimits), so they are no test of the services' handling.
     */
    public static List<String> urlSamples() {
        return samples().stream().filter(s -> percentEncoded(s).length() <= MAX_URL_SAMPLE).toList();
    }

    /** Longest percent-encoded sample {@link #urlSamples} returns. */
    public static final int MAX_URL_SAMPLE = 32 * 1024;

    /** A JSON string literal; everything outside printable ASCII escaped, so lone surrogates reach the server as such. */
    public static String json(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /**
     * A percent-encoded path segment or form value: UTF-8, except that a lone surrogate becomes the three bytes
     * UTF-8 would give it if it were allowed (invalid UTF-8, as a hostile client sends it).
     */
    public static String percentEncoded(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            byte[] bytes;
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes = text.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                i++;
            } else if (Character.isSurrogate(c)) {
                bytes = new byte[] {(byte) (0xe0 | (c >> 12)), (byte) (0x80 | ((c >> 6) & 0x3f)), (byte) (0x80 | (c & 0x3f))};
            } else {
                bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
            }
            for (byte b : bytes) {
                char ch = (char) (b & 0xff);
                if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || "-._~".indexOf(ch) >= 0) {
                    out.append(ch);
                } else {
                    out.append(String.format("%%%02X", b & 0xff));
                }
            }
        }
        return out.toString();
    }
}
