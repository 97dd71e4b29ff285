package io.presence.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The operator console on the shared suite's packaged services: in Chromium (playwright-core) with pusher-js clients making the
 * traffic (console-check.cjs), and the Grafana dashboard in k8s/monitoring checked against the metrics the running
 * services really expose.
 */
@OnSharedSuite
class ConsoleIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** PromQL words that are not metric names. */
    private static final Set<String> PROMQL = Set.of("sum", "max", "min", "avg", "count", "rate", "irate", "increase",
            "histogram_quantile", "by", "without", "on", "ignoring", "and", "or", "unless", "offset", "bool");

    @Test
    void anOperatorSeesChannelsMembersAndEventsLive() throws Exception {
        NodeScripts.requireBrowser();
        Path project = NodeScripts.install(ServiceSuite.ROOT, "system-tests/src/test/node", "system-tests/target/console-check");
        Path shots = ServiceSuite.ROOT.resolve("system-tests/target/screenshots");
        Files.createDirectories(shots);
        String channel = "presence-console-" + UUID.randomUUID();
        String output = NodeScripts.run(ServiceSuite.ROOT, project, Map.of("GATEWAY_PORT", Integer.toString(SharedSuite.gateway().port),
                        "CHANNEL", channel, "CONSOLE_PASSWORD", SharedSuite.CONSOLE_PASSWORD, "SCREENSHOT_DIR", shots.toString(), "CHROMIUM", NodeScripts.CHROMIUM.toString()),
                Duration.ofMinutes(2), "node", "console-check.cjs");
        String last = output.strip().lines().reduce((a, b) -> b).orElseThrow();
        JsonNode result = JSON.readTree(last);
        System.out.println("console check: " + last);
        assertTrue(result.path("ok").asBoolean(), output);
        assertEquals(401, result.get("apiWithoutLogin").asInt());
        assertEquals(401, result.get("apiAfterLogout").asInt());
        // how fast they showed is a figure (printed above), not a pass mark: the script waited for each
        assertTrue(result.get("memberShownMs").isNumber(), output);
        assertTrue(result.get("triggerShownMs").isNumber(), output);
        assertEquals(1, result.get("apiCheckEntries").asInt(), "each event once in the log");
        assertEquals("payload hidden (private channel)", result.get("apiCheckPayload").asText(), "presence payloads hidden by default");
        assertEquals("{\"n\":2}", result.get("revealedPayload").asText(), "and shown when the operator asks");
        assertTrue(result.get("sessionsListed").asInt() >= 2, "this session and the other browser's");
        assertEquals(401, result.get("otherAfterRevokeAll").asInt(), "a revoked session's next call is refused");
        assertEquals(0, result.get("shownWhilePaused").asInt());
        assertEquals(1, result.get("shownAfterResume").asInt());
        assertEquals("[[\"api-check\",{\"n\":1}],[\"from-console\",{\"hello\":\"ops\"}]]", result.get("subscriberGot").toString(),
                "the subscriber got the API trigger and the console's test event, each once, in order");
        // every gateway of the shared suite is live; earlier instances (restarted or killed by other tests) are not
        List<String> states = new ArrayList<>();
        result.get("gatewayStates").forEach(state -> states.add(state.asText()));
        long gateways = SharedSuite.suite().instances().stream().filter(i -> SharedSuite.suite().service(i).service.equals("gateway-service")).count();
        assertEquals(gateways, states.stream().filter("live"::equals).count(), "live gateways: " + states);
    }

    @Test
    void everyMetricTheDashboardAndTheAlertsQueryExists() throws Exception {
        JsonNode dashboard = JSON.readTree(Files.readString(ServiceSuite.ROOT.resolve("k8s/monitoring/presence-dashboard.json")));
        Set<String> wanted = new TreeSet<>();
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                wanted.addAll(metricNames(target.get("expr").asText()));
            }
        }
        assertTrue(wanted.size() >= 15, "the dashboard queries " + wanted);
        // and the alerts (one-line expr: fields of the PrometheusRule)
        Matcher alert = Pattern.compile("(?m)^\\s*expr:\\s*(.+)$")
                .matcher(Files.readString(ServiceSuite.ROOT.resolve("k8s/monitoring/alerts.yaml")));
        int alerts = 0;
        while (alert.find()) {
            wanted.addAll(metricNames(alert.group(1)));
            alerts++;
        }
        assertTrue(alerts >= 3, "the alerts' expressions were read");

        var ports = SharedSuite.suite().ports();
        Set<String> exposed = new HashSet<>();
        for (int port : List.of(ports.gatewayManagement(), ports.user(), ports.presence(), ports.message())) {
            exposed.addAll(exposedNames(port));
        }
        List<String> missing = new ArrayList<>();
        for (String name : wanted) {
            if (!exposed.contains(name)) {
                missing.add(name);
            }
        }
        assertEquals(List.of(), missing, "metrics the dashboard queries that no service exposes");
    }

    /** The metric names in a PromQL expression: identifiers that are not functions, keywords or grouping labels. */
    static Set<String> metricNames(String expr) {
        String withoutGrouping = expr.replaceAll("\\b(by|without|on|ignoring)\\s*\\([^)]*\\)", " ")
                .replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " ").replaceAll("\"[^\"]*\"", " ");
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*").matcher(withoutGrouping);
        while (m.find()) {
            String word = m.group();
            int after = m.end();
            while (after < withoutGrouping.length() && withoutGrouping.charAt(after) == ' ') {
                after++;
            }
            boolean function = after < withoutGrouping.length() && withoutGrouping.charAt(after) == '(';
            if (!function && !PROMQL.contains(word)) {
                names.add(word);
            }
        }
        return names;
    }

    private static Set<String> exposedNames(int port) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/q/metrics")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), "/q/metrics on port " + port + ": " + response.body());
        Set<String> names = new HashSet<>();
        for (String line : response.body().split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                int end = 0;
                while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
                    end++;
                }
                names.add(line.substring(0, end));
            }
        }
        return names;
    }
}
