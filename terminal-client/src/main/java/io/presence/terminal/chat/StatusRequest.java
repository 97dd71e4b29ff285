package io.presence.terminal.chat;

import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A status change as typed: {@code /status away|busy|online|invisible [text] [for 30m|1h|today]}. Without text
 * the text is cleared; without {@code for ...} the status stays until changed.
 */
public record StatusRequest(String status, String text, Long expiresIn, Long expiresAt) {

    public static final Set<String> STATUSES = Set.of("online", "away", "busy", "invisible");
    public static final String USAGE = "/status online|away|busy|invisible [text] [for 30m|1h|today]";

    private static final Pattern DURATION = Pattern.compile("(\\d{1,4})\\s*(m|min|mins|minutes?|h|hours?)");

    /** Reads the words after {@code /status}; {@code now} fixes "today" to the local day. */
    public static StatusRequest parse(String args, ZonedDateTime now) {
        List<String> words = new ArrayList<>(Arrays.asList(args.trim().split("\\s+")));
        if (words.isEmpty() || words.get(0).isEmpty()) {
            throw new IllegalArgumentException("usage: " + USAGE);
        }
        String status = words.remove(0).toLowerCase();
        if (!STATUSES.contains(status)) {
            throw new IllegalArgumentException("the status is one of online, away, busy, invisible; usage: " + USAGE);
        }
        Long expiresIn = null;
        Long expiresAt = null;
        int forAt = words.size() - 2;
        if (forAt >= 0 && words.get(forAt).equalsIgnoreCase("for")) {
            String amount = words.get(forAt + 1).toLowerCase();
            Matcher duration = DURATION.matcher(amount);
            if (amount.equals("today")) {
                expiresAt = now.toLocalDate().plusDays(1).atStartOfDay(now.getZone()).toInstant().toEpochMilli() - 1;
            } else if (duration.matches()) {
                long value = Long.parseLong(duration.group(1));
                if (value == 0) {
                    throw new IllegalArgumentException("an expiry must be longer than nothing: for 30m, for 1h, for today");
                }
                expiresIn = duration.group(2).startsWith("h") ? value * 3600 : value * 60;
            }
            // "for" followed by anything else is part of the text: "busy waiting for you"
            if (expiresAt != null || expiresIn != null) {
                words = words.subList(0, forAt);
            }
        }
        return new StatusRequest(status, String.join(" ", words), expiresIn, expiresAt);
    }

    /** The body of {@code PUT /api/presence/users/{id}/status}. */
    public Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("text", text);
        if (expiresIn != null) {
            body.put("expiresIn", expiresIn);
        }
        if (expiresAt != null) {
            body.put("expiresAt", expiresAt);
        }
        return body;
    }
}
