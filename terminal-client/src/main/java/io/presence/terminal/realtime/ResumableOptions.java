package io.presence.terminal.realtime;

import com.pusher.client.PusherOptions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * pusher-java-client's options with the chat's client id in the path ({@code /c/<clientId>/app/<key>}): the
 * connection is resumable, so after a reconnect each channel subscribed again gets what it missed (see the README,
 * "Resume across reconnects"). pusher-java-client has no {@code wsPath} setting; its URL is built here instead.
 */
final class ResumableOptions extends PusherOptions {

    private final String clientId = newClientId();

    /** 128 random bits, URL-safe: one per run of the chat. */
    static String newClientId() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    String clientId() {
        return clientId;
    }

    @Override
    public String buildUrl(String apiKey) {
        String url = super.buildUrl(apiKey);
        int app = url.indexOf("/app/");
        return app < 0 ? url : url.substring(0, app) + "/c/" + clientId + url.substring(app);
    }
}
