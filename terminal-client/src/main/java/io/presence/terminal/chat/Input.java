package io.presence.terminal.chat;

/**
 * One typed line, trimmed as the browser client trims it: a command ({@code /name args}) or text to send;
 * {@code //text} sends "/text", as in IRC clients.
 */
public record Input(String command, String args, String text) {

    public static Input parse(String line) {
        String trimmed = line.strip();
        if (trimmed.startsWith("/") && !trimmed.startsWith("//")) {
            int space = trimmed.indexOf(' ');
            String name = (space < 0 ? trimmed.substring(1) : trimmed.substring(1, space)).toLowerCase();
            String args = space < 0 ? "" : trimmed.substring(space + 1).strip();
            return new Input(name, args, null);
        }
        String text = trimmed.startsWith("//") ? trimmed.substring(1) : trimmed;
        return new Input(null, "", text);
    }

    public boolean isCommand() {
        return command != null;
    }

    public boolean isBlank() {
        return command == null && text.isBlank();
    }
}
