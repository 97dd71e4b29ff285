package io.presence.gateway.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.presence.gateway.GatewayTestResources;
import io.presence.testsupport.PusherSocket;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The console's app API: operators only, forwarded to user-service's /internal/apps with the service token, status and
 * problem+json passed through unchanged (user-service is faked by {@link io.presence.gateway.FakeBackends}).
 */
@QuarkusTest
@WithTestResource(GatewayTestResources.class)
class ConsoleAppsTest {

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    /** The test profile's console password (%test.presence.console.password). */
    static final String PASSWORD = "test-console-password";

    private static RequestSpecification operator() {
        return given().header("Authorization", "Bearer " + PASSWORD).contentType(ContentType.JSON);
    }

    @Test
    void onlyOperatorsReachTheAppStore() {
        for (String path : List.of("/console/api/apps", "/console/api/apps/a1", "/console/api/apps/a1/usage")) {
            given().get(path).then().statusCode(401).contentType("application/problem+json");
        }
        // (one wrong token only: wrong ones count against this address's budget, which the other console tests share)
        given().header("Authorization", "Bearer wrong").get("/console/api/apps").then().statusCode(401);
        given().contentType(ContentType.JSON).body("{\"id\":\"x\"}").post("/console/api/apps").then().statusCode(401);
        given().contentType(ContentType.JSON).body("{}").patch("/console/api/apps/a1").then().statusCode(401);
        given().delete("/console/api/apps/a1").then().statusCode(401);
        given().post("/console/api/apps/a1/secret").then().statusCode(401);
        // the service token is no operator credential either
        given().header("X-Internal-Token", "test-internal-token").get("/console/api/apps").then().statusCode(401);
    }

    @Test
    void callsAreForwardedWithTheServiceTokenAndAnswersPassedThrough() {
        operator().get("/console/api/apps").then().statusCode(200)
                .header("X-Seen-Method", "GET").header("X-Seen-Uri", "/internal/apps");
        operator().body("{\"id\":\"new-app\",\"maxConnections\":5}").post("/console/api/apps").then().statusCode(201)
                .header("Location", equalTo("/console/api/apps/new-app"))
                .body("id", equalTo("new-app")).body("secret", equalTo("fresh-secret")).body("maxConnections", equalTo(5));
        operator().body("{\"id\":\"taken\"}").post("/console/api/apps").then().statusCode(409)
                .contentType("application/problem+json").body("detail", equalTo("an app with id taken exists"));
        operator().body("{\"id\":\"x\",\"maxConnections\":-2}").post("/console/api/apps").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("maxConnections"));
        operator().get("/console/api/apps/a1").then().statusCode(200).header("X-Seen-Uri", "/internal/apps/a1");
        operator().get("/console/api/apps/missing").then().statusCode(404).contentType("application/problem+json");
        operator().body("{\"enabled\":false}").patch("/console/api/apps/a1").then().statusCode(200)
                .header("X-Seen-Method", "PATCH").body("enabled", equalTo(false));
        operator().body("{\"maxConnections\":-2}").patch("/console/api/apps/a1").then().statusCode(400);
        operator().delete("/console/api/apps/a1").then().statusCode(204).header("X-Seen-Method", "DELETE");
        operator().post("/console/api/apps/a1/secret").then().statusCode(200).header("X-Seen-Uri", "/internal/apps/a1/secret");
        // an id is one path segment at user-service, whatever it holds
        operator().urlEncodingEnabled(false).get("/console/api/apps/a%2F..%2Fb").then().header("X-Seen-Uri", notNullValue());
    }

    @Test
    void usageOfAnApp() throws Exception {
        operator().get("/console/api/apps/app-id/usage").then().statusCode(200)
                .body("app", equalTo("app-id")).body("presenceMembers", equalTo(0)).body("refusalWindowSeconds", equalTo(600))
                .body("refusals", notNullValue());
        // an open connection of the app shows in the next sample of the reports (every 2 s)
        try (PusherSocket socket = PusherSocket.connect(port)) {
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                Integer connections = operator().get("/console/api/apps/app-id/usage").then().statusCode(200)
                        .extract().path("connections");
                return connections != null && connections >= 1;
            });
        }
        operator().get("/console/api/apps/no-such-app/usage").then().statusCode(404);
    }
}
