package io.presence.user;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pusher.client.AuthorizationFailureException;
import com.pusher.client.util.HttpChannelAuthorizer;
import com.pusher.client.util.HttpUserAuthenticator;
import io.presence.common.pusher.PusherApp;
import io.presence.testsupport.FakeMessageService;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.net.URL;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(UserStores.class)
@WithTestResource(FakeMessageService.class)
class ChannelAuthResourceTest {

    /** The development app every fresh install runs with (pusher.* defaults). */
    private static final PusherApp APP = new PusherApp("app-id", "app-key", "app-secret");
    private static final String SOCKET = "123456.7890123";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/pusher/auth")
    URL authUrl;

    @TestHTTPResource("/pusher/user-auth")
    URL userAuthUrl;

    private static ValidatableResponse auth(TestUsers.User user, String channel) {
        return auth(user, SOCKET, channel);
    }

    private static ValidatableResponse auth(TestUsers.User user, String socket, String channel) {
        return given().header("Authorization", "Bearer " + user.token())
                .formParam("socket_id", socket).formParam("channel_name", channel)
                .post("/pusher/auth").then();
    }

    @Test
    void presenceChannelsAreSignedWithChannelData() throws Exception {
        TestUsers.User ana = TestUsers.newUser("ana");
        var response = auth(ana, "presence-lobby").statusCode(200).extract();
        String channelData = response.path("channel_data");
        assertTrue(APP.verifyAuth(response.path("auth"), PusherApp.presenceChannelText(SOCKET, "presence-lobby", channelData)));
        JsonNode data = JSON.readTree(channelData);
        assertEquals(ana.id(), data.get("user_id").asText());
        assertEquals(ana.id(), data.get("user_info").get("id").asText());
        assertEquals(ana.handle(), data.get("user_info").get("handle").asText());
        assertEquals("hello", data.get("user_info").get("text").asText());
    }

    @Test
    void aUsersOwnChannelOnly() {
        TestUsers.User ana = TestUsers.newUser("ana");
        TestUsers.User bob = TestUsers.newUser("bob");
        String mine = "private-user-" + ana.id();
        String auth = auth(ana, mine).statusCode(200).body("channel_data", nullValue()).extract().path("auth");
        assertTrue(APP.verifyAuth(auth, PusherApp.privateChannelText(SOCKET, mine)));
        auth(bob, mine).statusCode(403).contentType("application/problem+json");
    }

    @Test
    void directChannelsNeedAnAcceptedContactAndNoBlock() {
        TestUsers.User ana = TestUsers.newUser("ana");
        TestUsers.User bob = TestUsers.newUser("bob");
        TestUsers.User eve = TestUsers.newUser("eve");
        long a = Long.parseLong(ana.id());
        long b = Long.parseLong(bob.id());
        String dm = "private-dm-" + Math.min(a, b) + "-" + Math.max(a, b);
        auth(ana, dm).statusCode(403);

        String id = ana.as().body("{\"to\":\"" + bob.handle() + "\"}").post("/api/contacts/requests").then().extract().path("id");
        auth(bob, dm).statusCode(403);
        bob.as().post("/api/contacts/requests/" + id + "/accept").then().statusCode(200);
        auth(ana, dm).statusCode(200);
        auth(bob, dm).statusCode(200);
        auth(eve, dm).statusCode(403);
        auth(ana, "private-dm-" + Math.max(a, b) + "-" + Math.min(a, b)).statusCode(403);

        bob.as().body("{\"handle\":\"" + ana.handle() + "\"}").post("/api/contacts/blocks").then().statusCode(204);
        auth(ana, dm).statusCode(403);
        auth(bob, dm).statusCode(403);
    }

    @Test
    void roomChannelsOnlyForMembers() {
        TestUsers.User ana = TestUsers.newUser("ana");
        TestUsers.User bob = TestUsers.newUser("bob");
        FakeMessageService.MEMBERS.add("77/" + ana.id());
        auth(ana, "presence-room-77").statusCode(200).body("channel_data", startsWith("{"));
        auth(ana, "private-room-77").statusCode(200);
        auth(bob, "presence-room-77").statusCode(403).body("detail", equalTo("not a member of this room"));
        auth(ana, "presence-room-" + FakeMessageService.BROKEN_ROOM).statusCode(503)
                .body("type", equalTo("urn:presence:problem:backend-unavailable"));
    }

    @Test
    void signInCarriesTheAcceptedContactsAsTheWatchlist() throws Exception {
        TestUsers.User ana = TestUsers.newUser("ana");
        TestUsers.User bob = TestUsers.newUser("bob");
        TestUsers.User carol = TestUsers.newUser("carol");
        TestUsers.User dave = TestUsers.newUser("dave");
        assertEquals(List.of(), watchlistOf(ana));
        String toBob = ana.as().body("{\"to\":\"" + bob.handle() + "\"}").post("/api/contacts/requests").then().extract().path("id");
        String fromCarol = carol.as().body("{\"to\":\"" + ana.handle() + "\"}").post("/api/contacts/requests").then().extract().path("id");
        ana.as().body("{\"to\":\"" + dave.handle() + "\"}").post("/api/contacts/requests").then().statusCode(201);
        bob.as().post("/api/contacts/requests/" + toBob + "/accept").then().statusCode(200);
        ana.as().post("/api/contacts/requests/" + fromCarol + "/accept").then().statusCode(200);
        assertEquals(List.of(carol.id(), bob.id()), watchlistOf(ana), "accepted contacts, latest first; a pending request is not one");
        assertEquals(List.of(ana.id()), watchlistOf(bob));
    }

    private static List<String> watchlistOf(TestUsers.User user) throws Exception {
        var answer = given().header("Authorization", "Bearer " + user.token()).formParam("socket_id", SOCKET)
                .post("/pusher/user-auth").then().statusCode(200).extract();
        String userData = answer.path("user_data");
        assertTrue(APP.verifyAuth(answer.path("auth"), PusherApp.userSignInText(SOCKET, userData)));
        List<String> ids = new java.util.ArrayList<>();
        JSON.readTree(userData).get("watchlist").forEach(id -> ids.add(id.asText()));
        return ids;
    }

    @Test
    void everythingElseIsRefused() {
        TestUsers.User ana = TestUsers.newUser("ana");
        auth(ana, "private-anything").statusCode(403);
        auth(ana, "public-channel").statusCode(403);
        auth(ana, "private-encrypted-secret").statusCode(403);
        given().formParam("socket_id", SOCKET).formParam("channel_name", "presence-lobby").post("/pusher/auth")
                .then().statusCode(401).contentType("application/problem+json");
        given().header("Authorization", "Bearer " + "A".repeat(43))
                .formParam("socket_id", SOCKET).formParam("channel_name", "presence-lobby").post("/pusher/auth")
                .then().statusCode(401);
    }

    @Test
    void badSocketIdsAndChannelNamesAre400() {
        TestUsers.User ana = TestUsers.newUser("ana");
        auth(ana, "1234", "presence-lobby").statusCode(400).body("detail", startsWith("invalid: socket_id"));
        auth(ana, "1.2:presence-x", "presence-lobby").statusCode(400);
        auth(ana, SOCKET, "presence lobby").statusCode(400).body("detail", startsWith("invalid: channel_name"));
        auth(ana, SOCKET, "presence-" + "x".repeat(160)).statusCode(400);
        given().header("Authorization", "Bearer " + ana.token()).formParam("socket_id", SOCKET).post("/pusher/auth")
                .then().statusCode(400);
    }

    @Test
    void pusherJavaClientAcceptsTheAnswers() throws Exception {
        TestUsers.User ana = TestUsers.newUser("ana");
        HttpChannelAuthorizer authorizer = new HttpChannelAuthorizer(authUrl.toString());
        authorizer.setHeaders(Map.of("Authorization", "Bearer " + ana.token()));
        JsonNode answer = JSON.readTree(authorizer.authorize("presence-lobby", SOCKET));
        assertTrue(APP.verifyAuth(answer.get("auth").asText(),
                PusherApp.presenceChannelText(SOCKET, "presence-lobby", answer.get("channel_data").asText())));

        HttpChannelAuthorizer stranger = new HttpChannelAuthorizer(authUrl.toString());
        assertThrows(AuthorizationFailureException.class, () -> stranger.authorize("presence-lobby", SOCKET));

        HttpUserAuthenticator authenticator = new HttpUserAuthenticator(userAuthUrl.toString());
        authenticator.setHeaders(Map.of("Authorization", "Bearer " + ana.token()));
        JsonNode signIn = JSON.readTree(authenticator.authenticate(SOCKET));
        String userData = signIn.get("user_data").asText();
        assertTrue(APP.verifyAuth(signIn.get("auth").asText(), PusherApp.userSignInText(SOCKET, userData)));
        assertEquals(ana.id(), JSON.readTree(userData).get("id").asText());
    }
}
