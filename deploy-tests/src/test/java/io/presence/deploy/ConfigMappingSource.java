package io.presence.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The keys of a {@code @ConfigMapping} interface, read from its Java source the way SmallRye Config names them:
 * kebab-case method names under the prefix, nested interfaces as groups, {@code Map<String, X>} as one key
 * segment of any name ({@code *}), {@code @WithName} and {@code @WithParentName} honoured. Source, not
 * bytecode, so that no service has to be compiled for the deployment checks.
 */
final class ConfigMappingSource {

    /** A mapping found in one file: its simple name and its keys ({@code *} stands for a map key). */
    record Mapping(String simpleName, List<String> keys) {
    }

    private static final Pattern MAPPING = Pattern.compile("@ConfigMapping\\s*\\(\\s*prefix\\s*=\\s*\"([^\"]+)\"[^)]*\\)\\s*(?:public\\s+)?interface\\s+(\\w+)");
    private static final Pattern INTERFACE = Pattern.compile("interface\\s+(\\w+)[^{]*\\{");
    private static final Pattern METHOD = Pattern.compile("((?:@\\w+(?:\\s*\\([^)]*\\))?\\s+)*)([\\w.]+(?:\\s*<[^;(){}]*>)?(?:\\[])?)\\s+(\\w+)\\s*\\(\\s*\\)\\s*;");
    private static final Pattern WITH_NAME = Pattern.compile("@WithName\\s*\\(\\s*\"([^\"]+)\"\\s*\\)");

    private ConfigMappingSource() {
    }

    /** The mapping declared in this source, or null when it declares none. */
    static Mapping parse(String source) {
        String code = stripComments(source);
        Matcher m = MAPPING.matcher(code);
        if (!m.find()) {
            return null;
        }
        Map<String, String> bodies = interfaceBodies(code);
        List<String> keys = new ArrayList<>();
        collect(m.group(2), m.group(1), bodies, keys, 0);
        return new Mapping(m.group(2), keys);
    }

    private static void collect(String iface, String prefix, Map<String, String> bodies, List<String> keys, int depth) {
        if (depth > 10) {
            throw new IllegalStateException("config group nesting too deep at " + prefix);
        }
        Matcher method = METHOD.matcher(ownLevel(bodies.get(iface)));
        while (method.find()) {
            String annotations = method.group(1);
            String type = method.group(2).replaceAll("\\s+", "");
            String name = kebab(method.group(3));
            Matcher withName = WITH_NAME.matcher(annotations);
            if (withName.find()) {
                name = withName.group(1);
            }
            String key = annotations.contains("@WithParentName") ? prefix : prefix + "." + name;
            String valueType = unwrap(type);
            if (valueType.startsWith("Map<")) {
                key = key + ".*";
                valueType = unwrap(valueType.substring(valueType.indexOf(',') + 1, valueType.length() - 1));
            }
            if (bodies.containsKey(valueType)) {
                collect(valueType, key, bodies, keys, depth + 1);
            } else {
                keys.add(key);
            }
        }
    }

    /** Optional&lt;X&gt; is X; anything else stays as written. */
    private static String unwrap(String type) {
        return type.startsWith("Optional<") ? type.substring("Optional<".length(), type.length() - 1) : type;
    }

    /** A body without its nested blocks, so methods of nested interfaces and default methods' bodies drop out. */
    private static String ownLevel(String body) {
        StringBuilder out = new StringBuilder();
        int depth = 0;
        for (char c : body.toCharArray()) {
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
                out.append(' ');
            } else if (depth == 0) {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Every interface in the file, by simple name, to the text between its braces. */
    private static Map<String, String> interfaceBodies(String code) {
        Map<String, String> bodies = new LinkedHashMap<>();
        Matcher m = INTERFACE.matcher(code);
        while (m.find()) {
            int start = m.end();
            int depth = 1;
            int i = start;
            while (depth > 0) {
                char c = code.charAt(i++);
                depth += c == '{' ? 1 : c == '}' ? -1 : 0;
            }
            bodies.put(m.group(1), code.substring(start, i - 1));
        }
        return bodies;
    }

    /** Comments and string contents out, so braces and semicolons in them do not count. */
    private static String stripComments(String source) {
        // One pass over comments and string literals alike, so "//" or "/*" inside a string is not taken for a comment;
        // string literals stay, without braces or semicolons, which would confuse the structure. Possessive: no
        // backtracking, so long literals cannot overflow the stack.
        Matcher tokens = Pattern.compile("(?s)/\\*.*?\\*/|//[^\n]*+|\"(?:[^\"\\\\\n]|\\\\.)*+\"").matcher(source);
        StringBuilder out = new StringBuilder();
        while (tokens.find()) {
            String token = tokens.group();
            tokens.appendReplacement(out, Matcher.quoteReplacement(token.startsWith("\"") ? token.replaceAll("[{};]", "_") : " "));
        }
        tokens.appendTail(out);
        return out.toString();
    }

    /** SmallRye's default naming: {@code maxFrameBytes} is {@code max-frame-bytes}. */
    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }
}
