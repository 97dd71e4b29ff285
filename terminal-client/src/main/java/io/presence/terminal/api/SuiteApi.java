package io.presence.terminal.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** The suite's REST API through the gateway, with the session's bearer token; errors become {@link ApiException}. */
public final class SuiteApi {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final URI base;
    private final HttpClient http;
    private final ObjectMapper json;
    private volatile String token;

    public SuiteApi(URI base) {
        this.base = base;
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
        this.json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }

    public URI base() {
        return base;
    }

    public ObjectMapper json() {
        return json;
    }

    /** Authenticates every later call with this session token. */
    public void useToken(String sessionToken) {
        this.token = sessionToken;
    }

    /** A path segment with everything but unreserved characters escaped. */
    public static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public <T> T get(String path, Class<T> type) {
        return call("GET", path, null, type);
    }

    public <T> T post(String path, Object body, Class<T> type) {
        return call("POST", path, body, type);
    }

    public <T> T put(String path, Object body, Class<T> type) {
        return call("PUT", path, body, type);
    }

    public void delete(String path) {
        call("DELETE", path, null, Void.class);
    }

    /** A call that does not block the caller; the future fails with {@link ApiException}. */
    public <T> CompletableFuture<T> callAsync(String method, String path, Object body, Class<T> type) {
        return http.sendAsync(request(method, path, body), HttpResponse.BodyHandlers.ofString())
                .handle((response, failure) -> {
                    if (failure != null) {
                        throw unreachable(failure instanceof CompletionException ? failure.getCause() : failure);
                    }
                    return read(response, type);
                });
    }

    public Wire.Login login(String handle, String password) {
        return post("/api/sessions", Map.of("handle", handle, "password", password), Wire.Login.class);
    }

    public void register(String handle, String password) {
        post("/api/users", Map.of("handle", handle, "password", password), Void.class);
    }

    /** The public profile of a handle, or empty when nobody has it. */
    public Optional<Wire.User> user(String handle) {
        try {
            return Optional.of(get("/api/users/" + segment(handle), Wire.User.class));
        } catch (ApiException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Ends this session on the server (best effort: the client is leaving anyway). */
    public void logout() {
        try {
            delete("/api/sessions/current");
        } catch (ApiException e) {
            // expired or unreachable: nothing left to end
        }
    }

    /** Pusher channel authorization for this session: the JSON body {@code /pusher/auth} answers. */
    public String authorizeChannel(String socketId, String channel) {
        String form = "socket_id=" + URLEncoder.encode(socketId, StandardCharsets.UTF_8)
                + "&channel_name=" + URLEncoder.encode(channel, StandardCharsets.UTF_8);
        HttpRequest request = withToken(HttpRequest.newBuilder(base.resolve("/pusher/auth")))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        HttpResponse<String> response = send(request);
        if (response.statusCode() != 200) {
            throw failure(response);
        }
        return response.body();
    }

    private <T> T call(String method, String path, Object body, Class<T> type) {
        return read(send(request(method, path, body)), type);
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(0, "interrupted", null);
        }
    }

    private HttpRequest request(String method, String path, Object body) {
        HttpRequest.Builder builder = withToken(HttpRequest.newBuilder(base.resolve(path)))
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json");
        if (body == null) {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            try {
                builder.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot encode " + body, e);
            }
        }
        return builder.build();
    }

    private HttpRequest.Builder withToken(HttpRequest.Builder builder) {
        String current = token;
        return current == null ? builder : builder.header("Authorization", "Bearer " + current);
    }

    private <T> T read(HttpResponse<String> response, Class<T> type) {
        if (response.statusCode() / 100 != 2) {
            throw failure(response);
        }
        if (type == Void.class || response.body().isEmpty()) {
            return null;
        }
        try {
            return json.readValue(response.body(), type);
        } catch (IOException e) {
            throw new ApiException(response.statusCode(), "unexpected answer from the server: " + e.getMessage(), null);
        }
    }

    private ApiException unreachable(Throwable cause) {
        return new ApiException(0, "the server at " + base + " cannot be reached (" + describe(cause) + ")", null);
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
    }

    /** The problem+json detail (with the fields it names), else the status line. */
    private ApiException failure(HttpResponse<String> response) {
        String detail = "HTTP " + response.statusCode();
        try {
            JsonNode problem = json.readTree(response.body());
            String text = problem.path("detail").asText(problem.path("title").asText(""));
            List<String> fields = new ArrayList<>();
            for (JsonNode error : problem.path("errors")) {
                fields.add((error.path("field").asText("") + ": " + error.path("message").asText("")).replaceFirst("^: ", ""));
            }
            if (!text.isBlank()) {
                detail = fields.isEmpty() ? text : text + " (" + String.join("; ", fields) + ")";
            }
        } catch (IOException | RuntimeException e) {
            // not problem+json: the status line says enough
        }
        Duration retryAfter = response.headers().firstValue("Retry-After").flatMap(SuiteApi::seconds).orElse(null);
        return new ApiException(response.statusCode(), detail, retryAfter);
    }

    private static Optional<Duration> seconds(String value) {
        try {
            return Optional.of(Duration.ofSeconds(Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
