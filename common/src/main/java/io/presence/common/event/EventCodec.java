package io.presence.common.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.presence.common.store.MemberState;
import io.presence.common.store.Status;
import io.presence.common.store.UserStatus;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The one encoding of events on the bus, JSON objects with a {@code type}:
 * <ul>
 *   <li>{@code {"seq":7,"type":"event","id":..,"name":..,"data":"<string>","user_id"?,"except"?,"sender"?,
 *       "sender_only"?,"hidden_from"?,"durable"?}} for a {@link ChannelEvent};</li>
 *   <li>{@code {"seq":8,"type":"member","user":..,"info"?:{..},"status"?:{..}}} for a {@link MemberEvent} (no info: the
 *       member left); the presence scripts assemble these from stored JSON (see {@code lib.lua});</li>
 *   <li>{@code {"type":"terminate","app":..,"user":..}}, {@code {"type":"close-sockets","app":..,"sockets":[..]}},
 *       {@code {"type":"blocks","user":..}} and {@code {"type":"apps","version":..}} for a {@link ControlCommand}.</li>
 * </ul>
 * The publish script puts {@code "seq"} in front of an encoded channel event, so producers encode without it.
 * A member's status is stored and sent as {@code {"status":..,"text":..,"expiresAt":..,"v":version}}.
 */
public final class EventCodec {

    private static final ObjectMapper JSON = new ObjectMapper();

    private EventCodec() {
    }

    /** A channel event without its sequence number, as the publish script takes it. */
    public static String encode(ChannelEvent event) {
        ObjectNode node = JSON.createObjectNode().put("type", "event").put("id", event.id()).put("name", event.name())
                .put("data", event.data());
        putIfPresent(node, "user_id", event.userId());
        putIfPresent(node, "except", event.except());
        putIfPresent(node, "sender", event.sender());
        if (event.senderOnly()) {
            node.put("sender_only", true);
        }
        if (!event.hiddenFrom().isEmpty()) {
            ArrayNode hidden = node.putArray("hidden_from");
            event.hiddenFrom().forEach(hidden::add);
        }
        if (event.durable()) {
            node.put("durable", true);
        }
        return write(node);
    }

    /** A member event (the scripts build these themselves; this is for tests and tools). */
    public static String encode(MemberEvent event) {
        ObjectNode node = JSON.createObjectNode().put("seq", event.seq()).put("type", "member").put("user", event.userId());
        if (event.state() != null) {
            node.set("info", event.state().info());
            node.set("status", statusNode(event.state().status(), event.state().version()));
        }
        return write(node);
    }

    public static String encode(ControlCommand command) {
        ObjectNode node = JSON.createObjectNode();
        if (command instanceof ControlCommand.TerminateConnections t) {
            node.put("type", "terminate").put("app", t.appId()).put("user", t.userId());
        } else if (command instanceof ControlCommand.CloseSockets c) {
            ArrayNode sockets = node.put("type", "close-sockets").put("app", c.appId()).putArray("sockets");
            c.socketIds().forEach(sockets::add);
        } else if (command instanceof ControlCommand.BlocksChanged b) {
            node.put("type", "blocks").put("user", b.userId());
        } else if (command instanceof ControlCommand.AppsChanged a) {
            node.put("type", "apps").put("version", a.version());
        } else if (command instanceof ControlCommand.ResumeTakeover r) {
            node.put("type", "resume-takeover").put("app", r.appId()).put("client", r.clientId()).put("socket", r.socketId());
        }
        return write(node);
    }

    /** The event in a bus payload; throws {@link IllegalArgumentException} when it is not one. */
    public static Event decode(String payload) {
        JsonNode node = read(payload);
        long seq = node.path("seq").asLong(0);
        String type = node.path("type").asText("");
        if (type.equals("member")) {
            String user = text(node, "user");
            JsonNode info = node.get("info");
            return new MemberEvent(seq, user, info == null ? null : memberState(info, node.get("status")));
        }
        if (type.equals("event")) {
            Set<String> hidden = new LinkedHashSet<>();
            node.path("hidden_from").forEach(u -> hidden.add(u.asText()));
            return new ChannelEvent(seq, text(node, "id"), text(node, "name"), text(node, "data"), node.path("user_id").asText(null),
                    node.path("except").asText(null), node.path("sender").asText(null), node.path("sender_only").asBoolean(false),
                    hidden, node.path("durable").asBoolean(false));
        }
        throw new IllegalArgumentException("not an event: " + abbreviate(payload));
    }

    /** The command in a control payload; throws {@link IllegalArgumentException} when it is not one. */
    public static ControlCommand decodeCommand(String payload) {
        JsonNode node = read(payload);
        return switch (node.path("type").asText("")) {
            case "terminate" -> new ControlCommand.TerminateConnections(text(node, "app"), text(node, "user"));
            case "close-sockets" -> new ControlCommand.CloseSockets(text(node, "app"), texts(node, "sockets"));
            case "blocks" -> new ControlCommand.BlocksChanged(text(node, "user"));
            case "apps" -> new ControlCommand.AppsChanged(node.path("version").asLong(-1));
            case "resume-takeover" -> new ControlCommand.ResumeTakeover(text(node, "app"), text(node, "client"), text(node, "socket"));
            default -> throw new IllegalArgumentException("not a command: " + abbreviate(payload));
        };
    }

    /** A status as stored in a channel and carried in member events. */
    public static String statusJson(UserStatus status, long version) {
        return write(statusNode(status, version));
    }

    /** A member from its stored user_info and status JSON. */
    public static MemberState memberState(String info, String status) {
        return memberState(read(info), read(status));
    }

    private static MemberState memberState(JsonNode info, JsonNode status) {
        if (status == null || !status.isObject()) {
            return new MemberState(info, UserStatus.DEFAULT, 0);
        }
        UserStatus parsed = new UserStatus(Status.parse(status.path("status").asText(null)).orElse(Status.ONLINE),
                status.path("text").asText(""), status.path("expiresAt").asLong(0));
        return new MemberState(info, parsed, status.path("v").asLong(0));
    }

    private static ObjectNode statusNode(UserStatus status, long version) {
        return JSON.createObjectNode().put("status", status.status().wire()).put("text", status.text())
                .put("expiresAt", status.expiresAt()).put("v", version);
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("missing " + field);
        }
        return value.asText();
    }

    private static List<String> texts(JsonNode node, String field) {
        JsonNode values = node.get(field);
        if (values == null || !values.isArray()) {
            throw new IllegalArgumentException("missing " + field);
        }
        List<String> texts = new ArrayList<>();
        for (JsonNode value : values) {
            if (!value.isTextual()) {
                throw new IllegalArgumentException("not text in " + field);
            }
            texts.add(value.asText());
        }
        return texts;
    }

    private static JsonNode read(String payload) {
        try {
            JsonNode node = JSON.readTree(payload);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("not a JSON object: " + abbreviate(payload));
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + abbreviate(payload), e);
        }
    }

    private static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String abbreviate(String payload) {
        return payload.length() <= 120 ? payload : payload.substring(0, 120) + "...";
    }
}
