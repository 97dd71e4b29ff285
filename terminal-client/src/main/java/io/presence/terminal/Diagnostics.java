package io.presence.terminal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.logging.FileHandler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * java.util.logging, which pusher-java-client and JLine write to: silent by default (a warning on stderr would land
 * in the middle of the screen), or to a file with {@code --log}.
 */
final class Diagnostics {

    /** Held so the configured logger is not collected with its settings. */
    private static final Logger ROOT = Logger.getLogger("");

    private Diagnostics() {
    }

    static void configure(Path file) throws IOException {
        LogManager.getLogManager().reset();
        if (file == null) {
            ROOT.setLevel(Level.OFF);
            return;
        }
        FileHandler handler = new FileHandler(file.toAbsolutePath().toString(), true);
        handler.setFormatter(new SimpleFormatter());
        ROOT.addHandler(handler);
        ROOT.setLevel(Level.INFO);
    }
}
