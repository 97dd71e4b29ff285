package io.presence.common.app;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.presence.common.pusher.PusherApp;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * One tenant of the deployment as every service sees it (the app store's row, see AppRegistry): its credentials,
 * whether it is enabled, its limits and webhooks, its encryption master key and presence visibility policy.
 *
 * @param id                      the app id backends put in API paths
 * @param key                     the public key clients put in their URL
 * @param secret                  the current secret, which signs and verifies
 * @param previousSecret          the secret before the last rotation, still accepted until {@code previousSecretUntil}
 * @param previousSecretUntil     when the previous secret stops being accepted (epoch ms), or null
 * @param enabled                 false: its sockets are closed with 4003 and its API calls refused
 * @param limits                  its limits (in the registry: with every default filled in)
 * @param webhooks                where its webhooks go
 * @param encryptionMasterKey     32 bytes in base64 for {@code private-encrypted-} channels, or null (refused)
 * @param presenceVisibility      who may read a user's presence: {@code contacts} or {@code everyone}
 */
public record App(String id, String key, String secret, String previousSecret, Long previousSecretUntil, boolean enabled,
                  AppLimits limits, List<AppWebhook> webhooks, String encryptionMasterKey, String presenceVisibility) {

    /** Presence of a user is readable by everyone who asks (with the app's key or a session). */
    public static final String VISIBILITY_EVERYONE = "everyone";
    /** Presence of a user is readable by their contacts and those sharing a room or presence channel. */
    public static final String VISIBILITY_CONTACTS = "contacts";

    public App {
        if (id == null || id.isBlank() || key == null || key.isBlank() || secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("an app needs a non-empty id, key and secret");
        }
        limits = limits == null ? AppLimits.DEFAULTS : limits;
        webhooks = webhooks == null ? List.of() : List.copyOf(webhooks);
        presenceVisibility = presenceVisibility == null ? VISIBILITY_EVERYONE : presenceVisibility;
    }

    /** The signer of the current secret: what the suite signs with. */
    @JsonIgnore
    public PusherApp signer() {
        return new PusherApp(id, key, secret);
    }

    /** The signers whose signatures are accepted at {@code nowMs}: the current secret, and the previous one in its grace period. */
    public List<PusherApp> verifiers(long nowMs) {
        if (previousSecret != null && previousSecretUntil != null && nowMs < previousSecretUntil) {
            return List.of(signer(), new PusherApp(id, key, previousSecret));
        }
        return List.of(signer());
    }

    /** Checks an {@code auth} value ({@code key:signature}) against every accepted secret, in constant time per secret. */
    public boolean verifyAuth(String auth, String text) {
        boolean ok = false;
        for (PusherApp signer : verifiers(System.currentTimeMillis())) {
            ok |= signer.verifyAuth(auth, text);
        }
        return ok;
    }

    /** Checks a hex signature of {@code text} against every accepted secret, in constant time per secret. */
    public boolean verifySignature(String signature, String text) {
        if (signature == null) {
            return false;
        }
        boolean ok = false;
        for (PusherApp signer : verifiers(System.currentTimeMillis())) {
            ok |= MessageDigest.isEqual(signer.sign(text).getBytes(StandardCharsets.UTF_8), signature.getBytes(StandardCharsets.UTF_8));
        }
        return ok;
    }

    /** The decoded encryption master key, when the app has a valid one. */
    public Optional<byte[]> encryptionMasterKeyBytes() {
        if (encryptionMasterKey == null || encryptionMasterKey.isBlank()) {
            return Optional.empty();
        }
        byte[] bytes = Base64.getDecoder().decode(encryptionMasterKey.trim());
        return bytes.length == 32 ? Optional.of(bytes) : Optional.empty();
    }

    /** The receivers that want webhooks of this name. */
    public List<String> webhookUrls(String kind) {
        return webhooks.stream().filter(w -> w.wants(kind)).map(AppWebhook::url).toList();
    }

    /** This app with its limits' unset fields taken from {@code defaults}. */
    public App withDefaults(AppLimits defaults) {
        return new App(id, key, secret, previousSecret, previousSecretUntil, enabled, limits.over(defaults), webhooks,
                encryptionMasterKey, presenceVisibility);
    }

    @Override
    public String toString() {
        return "App[id=" + id + ", key=" + key + ", enabled=" + enabled + "]";
    }
}
