package io.presence.message;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.presence.common.testing.Bus;
import io.presence.testsupport.FakeUserService;

/**
 * A barrier for the unread counts that {@link io.presence.message.service.UnreadCounts} tells after sends: in rounds on a thread of its own, an
 * interval after the messages, so a send's answer does not mean its readers' counts are on their way yet.
 */
final class UnreadRounds {

    private UnreadRounds() {
    }

    /**
     * Returns once every unread count owed for messages sent before this call has been handed to the publisher (so a
     * marker published afterwards follows it). Two probes, each a direct message whose reader's count must arrive:
     * the first is told in a round that started after this call, which may also be the round telling the owed counts
     * (in any order); the second is sent once the first was told, so it is told in a later round, and rounds run one
     * after another: by then that round has finished.
     */
    static void awaitPassed() throws Exception {
        for (int probe = 0; probe < 2; probe++) {
            TestUser writer = TestUser.create("probe");
            TestUser reader = TestUser.create("probe");
            FakeUserService.befriend(writer.id(), reader.id());
            try (Bus readerBus = Bus.listen("private-user-" + reader.id())) {
                writer.as().body("{\"text\":\"probe\",\"clientMessageId\":\"" + TestUser.newKey() + "\"}")
                        .post("/api/conversations/" + reader.id() + "/messages").then().statusCode(201);
                Bus.Frame told = readerBus.next();
                assertEquals("unread", told.event(), told.data().toString());
            }
        }
    }
}
