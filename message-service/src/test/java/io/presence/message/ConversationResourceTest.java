package io.presence.message;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.presence.common.testing.Bus;
import io.presence.testsupport.FakeUserService;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Direct conversations: contacts talk on their own channel; strangers, oneself and blocked contacts are refused. */
@QuarkusTest
@WithTestResource(MessageStores.class)
@WithTestResource(FakeUserService.class)
class ConversationResourceTest {

    private static String send(TestUser from, TestUser to, String text) {
        return from.as().body("{\"text\":\"" + text + "\",\"clientMessageId\":\"" + TestUser.newKey() + "\"}")
                .post("/api/conversations/" + to.id() + "/messages").then().statusCode(201).extract().path("id");
    }

    @Test
    void contactsTalkOnTheirDirectChannel() throws Exception {
        TestUser ana = TestUser.create("ana");
        TestUser bob = TestUser.create("bob");
        FakeUserService.befriend(ana.id(), bob.id());
        String channel = "private-dm-" + Math.min(ana.id(), bob.id()) + "-" + Math.max(ana.id(), bob.id());
        try (Bus bus = Bus.listen(channel)) {
            String first = send(ana, bob, "hi bob");
            Bus.Frame frame = bus.next();
            assertEquals("message", frame.event());
            assertEquals(channel, frame.channel());
            assertEquals("hi bob", frame.data().get("text").asText());
            String conversation = frame.data().get("conversationId").asText();
            String reply = send(bob, ana, "hi ana");
            assertEquals(reply, bus.next().data().get("id").asText());

            bob.as().get("/api/conversations/" + ana.id() + "/messages").then().statusCode(200)
                    .body("messages.text", contains("hi bob", "hi ana"))
                    .body("messages[0].roomId", nullValue())
                    .body("messages[0].conversationId", equalTo(conversation));
            ana.as().get("/api/conversations/" + bob.id()).then().statusCode(200)
                    .body("id", equalTo(conversation))
                    .body("with.id", equalTo(bob.idText()))
                    .body("channel", equalTo(channel))
                    .body("unread", equalTo(1))
                    .body("lastMessageId", equalTo(reply));

            ana.as().body("{\"text\":\"hello bob\"}").patch("/api/conversations/" + bob.id() + "/messages/" + first)
                    .then().statusCode(200).body("text", equalTo("hello bob"));
            assertEquals("message_updated", bus.next().event());
            bob.as().body("{\"text\":\"no\"}").patch("/api/conversations/" + ana.id() + "/messages/" + first).then().statusCode(403);

            ana.as().body("{\"messageId\":\"" + reply + "\"}").put("/api/conversations/" + bob.id() + "/cursor")
                    .then().statusCode(200).body("messageId", equalTo(reply)).body("unread", equalTo(0));
            Bus.Frame cursor = bus.next();
            assertEquals("read_cursor", cursor.event());
            assertEquals(ana.idText(), cursor.data().get("user_id").asText());
            bob.as().get("/api/conversations").then().statusCode(200)
                    .body("conversations.id", contains(conversation))
                    .body("conversations[0].otherLastReadMessageId", equalTo(reply))
                    .body("conversations[0].unread", equalTo(1)); // ana's "hi bob", which bob has not read

            ana.as().delete("/api/conversations/" + bob.id() + "/messages/" + first).then().statusCode(204);
            assertEquals("message_deleted", bus.next().event());

            // a message id of this conversation is no cursor for a room, and the other way round
            TestUser cy = TestUser.create("cy");
            FakeUserService.befriend(ana.id(), cy.id());
            ana.as().queryParam("before", reply).get("/api/conversations/" + cy.id() + "/messages").then().statusCode(400);
        }
    }

    @Test
    void strangersSelvesAndBlockedContactsGet403Or400() {
        TestUser ana = TestUser.create("ana");
        TestUser bob = TestUser.create("bob");
        ana.as().get("/api/conversations/" + bob.id() + "/messages").then().statusCode(403)
                .contentType("application/problem+json").body("type", equalTo("urn:presence:problem:forbidden"));
        ana.as().body("{\"text\":\"hey\",\"clientMessageId\":\"k\"}").post("/api/conversations/" + bob.id() + "/messages")
                .then().statusCode(403);
        ana.as().get("/api/conversations/" + ana.id()).then().statusCode(400).contentType("application/problem+json");
        ana.as().get("/api/conversations/0/messages").then().statusCode(403);
        ana.as().get("/api/conversations/abc/messages").then().statusCode(404).contentType("application/problem+json");

        TestUser cy = TestUser.create("cy");
        FakeUserService.befriend(ana.id(), cy.id());
        FakeUserService.BLOCKS.add(cy.id() + "/" + ana.id());
        ana.as().get("/api/conversations/" + cy.id()).then().statusCode(403);
        cy.as().get("/api/conversations/" + ana.id()).then().statusCode(403);
        ana.as().get("/api/conversations").then().statusCode(200).body("conversations", org.hamcrest.Matchers.empty());
    }
}
