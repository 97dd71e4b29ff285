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
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The browser client in a real browser: Debian's Chromium driven by playwright-core (src/test/browser) against the
 * shared suite's packaged services, the page served by the gateway at {@code /}. Two users see each other come online, open
 * each other's card from "Online now", get contact requests, acceptances, invitations and new rooms pushed to them
 * (no reload, no polling; how fast is printed as a figure, every wait has a 30 s ceiling), message from the card, change status (invisible counted as the others count it),
 * go away when idle, talk in a room with typing and read receipts, edit and delete, talk directly, use a 390x844
 * screen where nothing overlaps and the members are one tap away, see each other leave with "last seen just now"
 * at once, one user has 150 rooms and 25 contacts with no subscription refused, markup stays text, the page
 * recovers after the gateway restarts, and after 30 s offline it shows what was written meanwhile once, resumed
 * rather than reloaded. Screenshots land in {@code target/screenshots}.
 */
@OnSharedSuite
class BrowserClientIT {

    private static final Path ROOT = Path.of(System.getProperty("suite.root", "..")).toAbsolutePath().normalize();

    @Test
    void twoPeopleUseTheBrowserClient() throws Exception {
        NodeScripts.requireBrowser();
        Path project = NodeScripts.install(ROOT, "system-tests/src/test/browser", "system-tests/target/browser-check");
        ServiceProcess gateway = SharedSuite.gateway();
        assertPageServed(gateway);

        Path restarted = project.resolve("gateway-restarted");
        Files.deleteIfExists(restarted);
        Path network = project.resolve("network-state");
        Files.deleteIfExists(network);
        String output;
        try (TcpProxy anasNetwork = TcpProxy.balancing(gateway.port)) {
            Map<String, String> env = Map.of(
                    "BASE_URL", "http://localhost:" + gateway.port + "/",
                    "PROXIED_URL", "http://localhost:" + anasNetwork.port() + "/",
                    "NETWORK_FILE", network.toString(),
                    "SCREENSHOT_DIR", ROOT.resolve("system-tests/target/screenshots").toString(),
                    "RESTART_FILE", restarted.toString(),
                    "CHROMIUM", NodeScripts.CHROMIUM.toString());
            output = NodeScripts.run(ROOT, project, env, Duration.ofMinutes(7), line -> {
                if (line.equals("restart-gateway")) {
                    // the way a rolling update looks to a browser: the gateway goes away and comes back
                    SharedSuite.suite().startAgain("gateway-service");
                    Files.writeString(restarted, "restarted");
                } else if (line.equals("cut-network")) {
                    anasNetwork.cut(); // her socket drops, her requests are refused
                    Files.writeString(network, "cut");
                } else if (line.equals("restore-network")) {
                    anasNetwork.restore();
                    Files.writeString(network, "restored");
                }
            }, "node", "browser-check.mjs");
        }

        System.out.println("browser check: " + output.strip());
        JsonNode seen = new ObjectMapper().readTree(output.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow());
        assertTrue(seen.get("ok").asBoolean(), output);
        assertEquals(0, seen.get("dialogs").size(), output);
        assertEquals(0, seen.get("imagesInPage").asInt(), output);
        assertEquals("<img src=x onerror=alert(1)>", seen.get("bobNameShown").asText());
        assertTrue(seen.get("autoAway").asBoolean(), output);
        assertTrue(seen.get("invited").asBoolean(), output);
        assertTrue(seen.get("typing").asText().contains("is typing"), output);
        assertTrue(seen.get("receipt").asText().startsWith("Seen by"), output);
        assertEquals("last seen just now", seen.get("lastSeen").asText(), output);
        assertEquals(1, seen.get("lastSeenShown").size(), "last seen changed after the leave: " + output);
        // how fast pushed changes showed is a figure (printed above), not a pass mark: the script waited for each
        for (String pushed : new String[] {"statusMs", "requestMs", "acceptMs", "roomListMs", "invitationMs", "unreadMs"}) {
            assertTrue(seen.get(pushed).isNumber(), pushed + " not measured: " + output);
        }
        assertTrue(seen.get("cardMessage").asBoolean(), output);
        // 30 s offline: the three messages Bob wrote meanwhile shown once each, from the resumed channel, not from history
        assertEquals("[1,1,1]", seen.get("offline").get("copies").toString(), output);
        assertEquals(0, seen.get("offline").get("historyReadsAfterReconnect").asInt(), output);
        assertEquals("<img src=x onerror=alert(1)>", seen.get("card").get("name").asText(), output);
        assertEquals(seen.get("invisibleCounts").get(0).asText(), seen.get("invisibleCounts").get(1).asText(), output);
        assertEquals("true", seen.get("fieldErrors").get("handleInvalid").asText(), output);
        assertTrue(seen.get("phoneHeaderPx").asDouble() <= 60, output);
        assertEquals(0, seen.get("phoneChatProblems").size() + seen.get("phoneMembersProblems").size()
                + seen.get("phoneCardProblems").size(), output);
        assertEquals(150, seen.get("many").get("rooms").asInt(), output);
        assertEquals(25, seen.get("many").get("contacts").asInt(), output);
        assertEquals(0, seen.get("many").get("refused").size(), output);
        assertTrue(seen.get("many").get("unreadMs").isNumber(), output);
        assertTrue(seen.has("stateDuringRestart"), "the page never showed the lost connection: " + output);
    }

    /** The gateway serves the page and its bundle, not a 404 of the /api proxy. */
    private static void assertPageServed(ServiceProcess gateway) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(gateway.url("/"))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<meta name=\"pusher-key\""), page.body());
        HttpResponse<Void> bundle = http.send(HttpRequest.newBuilder(URI.create(gateway.url("/app.js"))).build(), HttpResponse.BodyHandlers.discarding());
        assertEquals(200, bundle.statusCode());
    }
}
