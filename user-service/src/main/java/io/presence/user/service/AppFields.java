package io.presence.user.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.presence.common.app.App;
import io.presence.common.app.AppLimits;
import io.presence.common.app.AppWebhook;
import io.presence.common.problem.ProblemException;
import io.presence.common.pusher.Webhooks;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads an app as JSON in soketi's flat app config (a soketi app can be pasted) over an existing app: every field
 * given replaces the app's, null sets a limit back to the deployment default. Anything unknown, of the wrong type
 * or out of range is a 400 naming the field.
 */
final class AppFields {

    /** Ids and keys: what fits in a URL path segment without escaping. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern SECRET = Pattern.compile("[\\x21-\\x7e]{8,256}");

    private enum Kind { WHOLE, KB, SWITCH, WINDOW, STORED }

    /** Longest resume window: a day (records live twice as long, events at least as long). */
    static final int MAX_RESUME_WINDOW_SECONDS = 86_400;
    /** Most events one channel may keep: one tenant cannot fill the shared Redis with one hot channel. */
    static final int MAX_STORED_EVENTS = 100_000;

    /** The limits in the order of AppLimits' components. */
    private static final List<Map.Entry<String, Kind>> LIMITS = List.of(
            Map.entry("maxConnections", Kind.WHOLE), Map.entry("enableClientMessages", Kind.SWITCH),
            Map.entry("maxBackendEventsPerSecond", Kind.WHOLE), Map.entry("maxClientEventsPerSecond", Kind.WHOLE),
            Map.entry("maxReadRequestsPerSecond", Kind.WHOLE), Map.entry("maxPresenceMembersPerChannel", Kind.WHOLE),
            Map.entry("maxPresenceMemberSizeInKb", Kind.KB), Map.entry("maxChannelNameLength", Kind.WHOLE),
            Map.entry("maxEventChannelsAtOnce", Kind.WHOLE), Map.entry("maxEventNameLength", Kind.WHOLE),
            Map.entry("maxEventPayloadInKb", Kind.KB), Map.entry("maxEventBatchSize", Kind.WHOLE),
            Map.entry("enableUserAuthentication", Kind.SWITCH), Map.entry("resumeWindowSeconds", Kind.WINDOW),
            Map.entry("maxStoredEventsPerChannel", Kind.STORED));
    private static final Set<String> OTHERS = Set.of("id", "key", "secret", "enabled", "webhooks", "encryptionMasterKey",
            "presenceVisibility");

    private AppFields() {
    }

    /**
     * The app {@code body} describes, over {@code base}'s fields ({@code base} null: a new app, whose id is required
     * and whose key and secret are generated when absent).
     */
    static App apply(App base, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ProblemException.invalid("body", "must be a JSON object");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!OTHERS.contains(name) && LIMITS.stream().noneMatch(e -> e.getKey().equals(name))) {
                throw ProblemException.invalid(name, "unknown field");
            }
        }
        String id = body.has("id") ? name(body, "id") : base == null ? null : base.id();
        if (id == null) {
            throw ProblemException.invalid("id", "must be given: 1-64 of A-Z a-z 0-9 _ -");
        }
        if (base != null && !base.id().equals(id)) {
            throw ProblemException.invalid("id", "cannot change");
        }
        String key = body.has("key") ? name(body, "key") : base == null ? Secrets.key() : base.key();
        String secret = body.has("secret") ? secret(body) : base == null ? Secrets.secret() : base.secret();
        boolean enabled = body.has("enabled") ? bool(body, "enabled") : base == null || base.enabled();
        List<AppWebhook> webhooks = body.has("webhooks") ? webhooks(body.get("webhooks")) : base == null ? List.of() : base.webhooks();
        String encryption = body.has("encryptionMasterKey") ? encryptionKey(body.get("encryptionMasterKey"))
                : base == null ? null : base.encryptionMasterKey();
        String visibility = body.has("presenceVisibility") ? visibility(body.get("presenceVisibility"))
                : base == null ? App.VISIBILITY_EVERYONE : base.presenceVisibility();
        AppLimits limits = limits(base == null ? AppLimits.DEFAULTS : base.limits(), body);
        boolean secretChanged = base != null && !base.secret().equals(secret);
        return new App(id, key, secret, secretChanged ? null : base == null ? null : base.previousSecret(),
                secretChanged || base == null ? null : base.previousSecretUntil(), enabled, limits, webhooks, encryption, visibility);
    }

    private static AppLimits limits(AppLimits base, JsonNode body) {
        Object[] values = {base.maxConnections(), base.enableClientMessages(), base.maxBackendEventsPerSecond(),
                base.maxClientEventsPerSecond(), base.maxReadRequestsPerSecond(), base.maxPresenceMembersPerChannel(),
                base.maxPresenceMemberSizeInKb(), base.maxChannelNameLength(), base.maxEventChannelsAtOnce(),
                base.maxEventNameLength(), base.maxEventPayloadInKb(), base.maxEventBatchSize(), base.enableUserAuthentication(),
                base.resumeWindowSeconds(), base.maxStoredEventsPerChannel()};
        for (int i = 0; i < LIMITS.size(); i++) {
            String name = LIMITS.get(i).getKey();
            if (body.has(name)) {
                values[i] = limit(body.get(name), name, LIMITS.get(i).getValue());
            }
        }
        return new AppLimits((Integer) values[0], (Boolean) values[1], (Integer) values[2], (Integer) values[3], (Integer) values[4],
                (Integer) values[5], (Double) values[6], (Integer) values[7], (Integer) values[8], (Integer) values[9],
                (Double) values[10], (Integer) values[11], (Boolean) values[12], (Integer) values[13], (Integer) values[14]);
    }

    private static Object limit(JsonNode value, String name, Kind kind) {
        if (value.isNull()) {
            return null;
        }
        switch (kind) {
            case SWITCH -> {
                if (!value.isBoolean()) {
                    throw ProblemException.invalid(name, "must be true, false or null (the default)");
                }
                return value.booleanValue();
            }
            case WINDOW, STORED -> {
                int min = kind == Kind.WINDOW ? 0 : 1;
                int max = kind == Kind.WINDOW ? MAX_RESUME_WINDOW_SECONDS : MAX_STORED_EVENTS;
                if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < min || value.intValue() > max) {
                    throw ProblemException.invalid(name, "must be a whole number from " + min + " to " + max + " or null (the default)");
                }
                return value.intValue();
            }
            case WHOLE -> {
                if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < -1) {
                    throw ProblemException.invalid(name, "must be a whole number from 0, -1 (no limit) or null (the default)");
                }
                return value.intValue();
            }
            default -> {
                if (!value.isNumber() || !Double.isFinite(value.doubleValue()) || (value.doubleValue() < 0 && value.doubleValue() != -1)) {
                    throw ProblemException.invalid(name, "must be a number from 0, -1 (no limit) or null (the default)");
                }
                return value.doubleValue();
            }
        }
    }

    private static String name(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (!value.isTextual() || !NAME.matcher(value.textValue()).matches()) {
            throw ProblemException.invalid(field, "must be 1-64 of A-Z a-z 0-9 _ -");
        }
        return value.textValue();
    }

    private static String secret(JsonNode body) {
        JsonNode value = body.get("secret");
        if (!value.isTextual() || !SECRET.matcher(value.textValue()).matches()) {
            throw ProblemException.invalid("secret", "must be 8-256 visible ASCII characters (no spaces)");
        }
        return value.textValue();
    }

    private static boolean bool(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (!value.isBoolean()) {
            throw ProblemException.invalid(field, "must be true or false");
        }
        return value.booleanValue();
    }

    private static List<AppWebhook> webhooks(JsonNode value) {
        if (value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw ProblemException.invalid("webhooks", "must be an array of {url, event_types}");
        }
        List<AppWebhook> hooks = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            String at = "webhooks[" + i + "]";
            JsonNode hook = value.get(i);
            if (!hook.isObject()) {
                throw ProblemException.invalid(at, "must be an object {url, event_types}");
            }
            for (Iterator<String> names = hook.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!name.equals("url") && !name.equals("event_types")) {
                    throw ProblemException.invalid(at + "." + name, "unknown field");
                }
            }
            hooks.add(new AppWebhook(url(hook.get("url"), at + ".url"), eventTypes(hook.get("event_types"), at + ".event_types")));
        }
        return hooks;
    }

    private static String url(JsonNode value, String field) {
        try {
            URI uri = value == null || !value.isTextual() ? null : new URI(value.textValue());
            if (uri != null && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return value.textValue();
            }
        } catch (URISyntaxException e) {
            // refused below
        }
        throw ProblemException.invalid(field, "must be an http or https URL");
    }

    private static Set<String> eventTypes(JsonNode value, String field) {
        if (value == null || value.isNull()) {
            return Set.of();
        }
        if (!value.isArray()) {
            throw ProblemException.invalid(field, "must be an array of webhook names: " + new TreeSet<>(Webhooks.KINDS));
        }
        Set<String> kinds = new LinkedHashSet<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode kind = value.get(i);
            if (!kind.isTextual() || !Webhooks.KINDS.contains(kind.textValue())) {
                throw ProblemException.invalid(field + "[" + i + "]", "unknown webhook; known: " + new TreeSet<>(Webhooks.KINDS));
            }
            kinds.add(kind.textValue());
        }
        return kinds;
    }

    private static String encryptionKey(JsonNode value) {
        if (value.isNull() || (value.isTextual() && value.textValue().isEmpty())) {
            return null;
        }
        try {
            if (value.isTextual() && Base64.getDecoder().decode(value.textValue().trim()).length == 32) {
                return value.textValue().trim();
            }
        } catch (IllegalArgumentException e) {
            // refused below
        }
        throw ProblemException.invalid("encryptionMasterKey", "must be 32 bytes in base64 (44 characters), or null");
    }

    private static String visibility(JsonNode value) {
        if (value.isNull()) {
            return App.VISIBILITY_EVERYONE;
        }
        if (value.isTextual() && (App.VISIBILITY_CONTACTS.equals(value.textValue()) || App.VISIBILITY_EVERYONE.equals(value.textValue()))) {
            return value.textValue();
        }
        throw ProblemException.invalid("presenceVisibility", "must be \"contacts\" or \"everyone\"");
    }
}
