package io.presence.common.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class ClientAddressTest {

    @Test
    void ipv4IsItsOwnGroupMappedOrNot() {
        assertEquals("192.0.2.1", ClientAddress.group("192.0.2.1"));
        assertEquals("192.0.2.1", ClientAddress.group("::ffff:192.0.2.1"));
        assertEquals("192.0.2.1", ClientAddress.group("::ffff:c000:201"));
        assertNotEquals(ClientAddress.group("192.0.2.1"), ClientAddress.group("192.0.2.2"));
    }

    @Test
    void ipv6IsGroupedByItsSlash64() {
        assertEquals("2001:db8:1:2::/64", ClientAddress.group("2001:db8:1:2::1"));
        assertEquals("2001:db8:1:2::/64", ClientAddress.group("2001:0db8:0001:0002:ffff:eeee:dddd:cccc"));
        assertEquals("2001:db8:1:2::/64", ClientAddress.group("2001:DB8:1:2:a:b:c:d"));
        assertEquals("2001:db8:1:3::/64", ClientAddress.group("2001:db8:1:3::1"));
        assertEquals("2001:db8:1:2::/64", ClientAddress.group("[2001:db8:1:2::1]"));
        assertEquals("0:0:0:0::/64", ClientAddress.group("::1"));
        assertEquals("fe80:0:0:0::/64", ClientAddress.group("fe80::1%1"));
    }

    @Test
    void anythingElseIsLeftAsItIsAndNeverLookedUp() {
        assertEquals("unknown", ClientAddress.group("unknown"));
        assertEquals("localhost", ClientAddress.group("localhost"));
        assertEquals("999.1.1.1", ClientAddress.group("999.1.1.1"));
        assertEquals("1:2:3", ClientAddress.group("1:2:3"));
        assertEquals(null, ClientAddress.group(null));
    }
}
