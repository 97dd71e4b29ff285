package io.presence.terminal.chat;

import io.presence.terminal.api.ApiException;
import io.presence.terminal.api.SuiteApi;
import io.presence.terminal.api.Wire;
import io.presence.terminal.ui.Console;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Logging in, or registering a handle nobody has: asked at the terminal (the password never echoed), or for
 * scripts from {@code --user} with a password from a file or {@code PRESENCE_PASSWORD}.
 */
public final class Login {

    private static final Pattern HANDLE = Pattern.compile("[A-Za-z0-9_.-]{3,32}");
    private static final int PASSWORD_TRIES = 3;

    private final SuiteApi api;
    private final Console console;
    private final Out out;

    public Login(SuiteApi api, Console console) {
        this.api = api;
        this.console = console;
        this.out = new Out(console);
    }

    /**
     * Logs in; empty (with the reason printed) when it cannot.
     *
     * @param handle   from {@code --user}, or null to ask
     * @param password known beforehand, or null to ask
     * @param register create the account when {@code handle} is free, without asking
     */
    public Optional<Wire.Login> run(String handle, String password, boolean register) {
        try {
            return handle == null ? interactive() : given(handle.strip(), password, register);
        } catch (ApiException e) {
            out.error(e.status() == 0 ? e.getMessage() + ". Is the suite running? ./suite up starts it." : e.getMessage());
            return Optional.empty();
        }
    }

    private Optional<Wire.Login> given(String handle, String password, boolean register) {
        if (password == null) {
            if (api.user(handle).isEmpty()) {
                return offerRegistration(handle);
            }
            return askPassword(handle);
        }
        try {
            return Optional.of(api.login(handle, password));
        } catch (ApiException e) {
            if (e.status() != 401) {
                return refused(e);
            }
            if (api.user(handle).isPresent()) {
                out.error("Wrong password for " + handle + ".");
                return Optional.empty();
            }
            if (!register) {
                out.error("No account is called " + handle + ": add --register to create it, or leave out the password to be asked.");
                return Optional.empty();
            }
            return registerAndLogIn(handle, password);
        }
    }

    private Optional<Wire.Login> interactive() {
        out.info("Log in to " + api.base() + ". A handle nobody has yet can be registered.");
        while (true) {
            String handle = console.ask("Handle: ").strip();
            if (handle.isEmpty()) {
                continue;
            }
            if (api.user(handle).isPresent()) {
                return askPassword(handle);
            }
            Optional<Wire.Login> registered = offerRegistration(handle);
            if (registered.isPresent()) {
                return registered;
            }
        }
    }

    private Optional<Wire.Login> askPassword(String handle) {
        for (int i = 0; i < PASSWORD_TRIES; i++) {
            String password = console.askSecret("Password for " + handle + ": ");
            try {
                return Optional.of(api.login(handle, password));
            } catch (ApiException e) {
                if (e.status() != 401) {
                    return refused(e);
                }
                out.error("Wrong password.");
            }
        }
        return Optional.empty();
    }

    private Optional<Wire.Login> offerRegistration(String handle) {
        if (!HANDLE.matcher(handle).matches()) {
            out.error("No account is called " + handle + ", and it cannot be one: a handle is 3-32 of a-z, 0-9, _ . -");
            return Optional.empty();
        }
        String answer = console.ask("No account is called " + handle + ". Register it? [y/N] ").strip().toLowerCase();
        if (!answer.startsWith("y")) {
            return Optional.empty();
        }
        while (true) {
            String password = console.askSecret("Choose a password (8-72 characters): ");
            if (password.length() < 8 || password.length() > 72) {
                out.error("The password needs 8 to 72 characters.");
                continue;
            }
            if (!password.equals(console.askSecret("Repeat it: "))) {
                out.error("The two passwords differ; again.");
                continue;
            }
            return registerAndLogIn(handle, password);
        }
    }

    private Optional<Wire.Login> registerAndLogIn(String handle, String password) {
        try {
            api.register(handle, password);
        } catch (ApiException e) {
            out.error(e.status() == 409 ? "Someone registered " + handle + " a moment ago." : "Not registered: " + e.getMessage());
            return Optional.empty();
        }
        out.info("Registered " + handle + ".");
        return Optional.of(api.login(handle, password));
    }

    private Optional<Wire.Login> refused(ApiException e) {
        if (e.status() == 429) {
            out.error("Too many failed logins: " + e.getMessage()
                    + e.retryAfter().map(d -> " Try again in " + d.toSeconds() + " s.").orElse(""));
            return Optional.empty();
        }
        throw e;
    }
}
