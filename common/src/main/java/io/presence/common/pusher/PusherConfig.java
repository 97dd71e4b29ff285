package io.presence.common.pusher;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Pusher apps this deployment serves, shared by the gateway (which checks signatures) and user-service
 * (which makes them). The defaults are the well-known development app; production overrides them from a Secret.
 */
@ConfigMapping(prefix = "pusher")
public interface PusherConfig {

    /** The well-known development secret; outside dev and test no service starts with it ({@code InsecureDefaults}). */
    String DEVELOPMENT_SECRET = "app-secret";

    /** Id of the main app (PUSHER_APP_ID). */
    @WithDefault("app-id")
    String appId();

    /** Key of the main app, the one clients put in their URL (PUSHER_KEY). */
    @WithDefault("app-key")
    String key();

    /** Secret of the main app (PUSHER_SECRET). */
    @WithDefault(DEVELOPMENT_SECRET)
    String secret();

    /** Further apps, each written {@code id:key:secret}, comma separated (PUSHER_EXTRA_APPS). */
    Optional<List<String>> extraApps();

    /** Where the main app's webhooks go: one or more URLs, comma separated (PUSHER_WEBHOOK_URLS); none: no webhooks. */
    Optional<List<String>> webhookUrls();

    /**
     * Which webhooks the main app wants (PUSHER_WEBHOOK_EVENTS, comma separated): channel_occupied, channel_vacated,
     * member_added, member_removed, client_event, cache_miss, subscription_count; all when unset.
     */
    Optional<List<String>> webhookEvents();

    /**
     * The main app's encryption master key, 32 bytes in base64 (PUSHER_ENCRYPTION_MASTER_KEY_BASE64): with it, clients
     * may use {@code private-encrypted-} channels (the server only relays their ciphertext); without it they are refused.
     */
    Optional<String> encryptionMasterKeyBase64();

    /**
     * Who may read the main app's users' presence (PUSHER_PRESENCE_VISIBILITY): {@code contacts} (their contacts and
     * those sharing a room or presence channel with them) or {@code everyone}; the app store takes it when it creates
     * the app, and keeps what an operator set later.
     */
    @WithDefault("contacts")
    String presenceVisibility();

    /** The same settings for further apps, by app id: {@code pusher.app."<id>".webhook-urls} and so on. */
    Map<String, ExtraApp> app();

    /** Settings of one further app. */
    interface ExtraApp {

        /** Where its webhooks go, comma separated. */
        Optional<List<String>> webhookUrls();

        /** Which webhooks it wants; all when unset. */
        Optional<List<String>> webhookEvents();

        /** Its encryption master key, 32 bytes in base64. */
        Optional<String> encryptionMasterKeyBase64();
    }

    /** An app's encryption master key, when it has one (a malformed key is refused at start-up). */
    default Optional<byte[]> encryptionMasterKey(String appId) {
        Optional<String> base64 = appId.equals(appId()) ? encryptionMasterKeyBase64()
                : Optional.ofNullable(app().get(appId)).flatMap(ExtraApp::encryptionMasterKeyBase64);
        return base64.map(text -> {
            byte[] key = Base64.getDecoder().decode(text.trim());
            if (key.length != 32) {
                throw new IllegalArgumentException("the encryption master key of app " + appId + " must be 32 bytes, base64 encoded");
            }
            return key;
        });
    }

    /** Where an app's webhooks go and which it wants (no URLs: none). */
    default Webhooks webhooks(String appId) {
        if (appId.equals(appId())) {
            return Webhooks.of(webhookUrls(), webhookEvents());
        }
        ExtraApp extra = app().get(appId);
        return extra == null ? Webhooks.NONE : Webhooks.of(extra.webhookUrls(), extra.webhookEvents());
    }

    /** The main app. */
    default PusherApp mainApp() {
        return new PusherApp(appId(), key(), secret());
    }

    /** Every app, the main one first. */
    default List<PusherApp> apps() {
        List<PusherApp> apps = new ArrayList<>();
        apps.add(mainApp());
        for (String spec : extraApps().orElse(List.of())) {
            String[] parts = spec.trim().split(":", 3);
            if (parts.length != 3) {
                throw new IllegalArgumentException("pusher.extra-apps entries are id:key:secret, got '" + spec + "'");
            }
            apps.add(new PusherApp(parts[0], parts[1], parts[2]));
        }
        return List.copyOf(apps);
    }
}
