package io.presence.common.pusher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The HMAC test vectors of the protocol reference, and the channel rules. */
class PusherAppTest {

    private final PusherApp app = new PusherApp("3", "278d425bdf160c739803", "7ad3773142a6692b25b8");

    @Test
    void privateChannelVector() {
        assertEquals("278d425bdf160c739803:58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4",
                app.auth(PusherApp.privateChannelText("1234.1234", "private-foobar")));
    }

    @Test
    void presenceChannelVector() {
        String channelData = "{\"user_id\":10,\"user_info\":{\"name\":\"Mr. Channels\"}}";
        assertEquals("31935e7d86dba64c2a90aed31fdc61869f9b22ba9d8863bba239c03ca481bc80",
                app.sign(PusherApp.presenceChannelText("1234.1234", "presence-foobar", channelData)));
    }

    @Test
    void httpApiVector() {
        String toSign = "POST\n/apps/3/events\nauth_key=278d425bdf160c739803&auth_timestamp=1353088179"
                + "&auth_version=1.0&body_md5=ec365a775a4cd0599faeb73354201b6f";
        assertEquals("da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c", app.sign(toSign));
    }

    @Test
    void sharedSecretsAreThoseOfPusherServerLibraries() {
        byte[] masterKey = new byte[32];
        new java.security.SecureRandom().nextBytes(masterKey);
        String base64 = java.util.Base64.getEncoder().encodeToString(masterKey);
        com.pusher.rest.crypto.CryptoUtil pusherHttpJava = new com.pusher.rest.crypto.CryptoUtil(base64);
        for (String channel : new String[] {"private-encrypted-x", "private-encrypted-user-42", "private-encrypted-cache-ü"}) {
            // the same key; padded as pusher-js (tweetnacl-util) requires, which pusher-http-java leaves out
            assertArrayEquals(java.util.Base64.getDecoder().decode(pusherHttpJava.generateBase64EncodedSharedSecret(channel)),
                    java.util.Base64.getDecoder().decode(PusherApp.sharedSecret(channel, masterKey)), channel);
            assertEquals(0, PusherApp.sharedSecret(channel, masterKey).length() % 4);
        }
    }

    @Test
    void verifiesOnlyTheExactAuth() {
        String text = PusherApp.privateChannelText("1.2", "private-x");
        assertTrue(app.verifyAuth(app.auth(text), text));
        assertFalse(app.verifyAuth(app.auth(text), PusherApp.privateChannelText("1.3", "private-x")));
        assertFalse(app.verifyAuth("other-key:" + app.sign(text), text));
        assertFalse(app.verifyAuth(null, text));
        assertFalse(app.verifyAuth("", text));
    }

    @Test
    void refusesIncompleteApps() {
        assertThrows(IllegalArgumentException.class, () -> new PusherApp("1", "", "s"));
    }

    @Test
    void channelNamesAndSocketIds() {
        assertTrue(Channels.isValidName("presence-room_1=a@b,c.d;e", 164));
        assertFalse(Channels.isValidName("presence room", 164));
        assertFalse(Channels.isValidName("a".repeat(165), 164));
        assertFalse(Channels.isValidName("", 164));
        assertTrue(Channels.isValidSocketId("123456.7890123"));
        assertFalse(Channels.isValidSocketId("123456"));
        assertFalse(Channels.isValidSocketId("1.2:private-x"));
    }

    @Test
    void channelsWithMeaning() {
        assertEquals(42L, Channels.userChannelOwner("private-user-42").orElseThrow());
        assertTrue(Channels.userChannelOwner("private-user-x").isEmpty());
        assertArrayEquals(new long[] {3, 17}, Channels.directChannelUsers("private-dm-3-17").orElseThrow());
        assertTrue(Channels.directChannelUsers("private-dm-17-3").isEmpty(), "only the canonical order");
        assertTrue(Channels.directChannelUsers("private-dm-3-3").isEmpty());
        assertEquals("private-dm-3-17", Channels.directChannel(17, 3));
        assertEquals(9L, Channels.roomChannelRoom("presence-room-9").orElseThrow());
        assertEquals(9L, Channels.roomChannelRoom("private-room-9").orElseThrow());
        assertTrue(Channels.roomChannelRoom("presence-room-").isEmpty());
        assertTrue(Channels.userChannelOwner("private-user-99999999999999999999").isEmpty(), "overflow is not an id");
    }
}
