package io.presence.common.internal;

import io.smallrye.config.ConfigMapping;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * The credential services present to each other's {@code /internal} endpoints: one shared token, from a Secret in
 * Kubernetes, from the environment in Compose and generated per run by {@code ./suite} (INTERNAL_TOKEN).
 */
@ConfigMapping(prefix = "internal")
public interface InternalAuthConfig {

    /** Request header that carries the token. */
    String HEADER = "X-Internal-Token";

    /** The shared service token (INTERNAL_TOKEN); without one, /internal refuses every call and sends none. */
    Optional<String> token();

    /**
     * True when the presented token is the configured one. Compares SHA-256 digests with
     * {@link MessageDigest#isEqual}, so the time taken tells neither the content nor the length of the token.
     */
    default boolean accepts(String presented) {
        Optional<String> token = token().filter(t -> !t.isBlank());
        return token.isPresent() && presented != null && MessageDigest.isEqual(digest(token.get()), digest(presented));
    }

    private static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
