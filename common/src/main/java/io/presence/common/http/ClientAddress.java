package io.presence.common.http;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * The group a client address is counted in by per-address limits: an IPv4 address on its own, an IPv6 address by
 * its /64 (one subscriber's network: privacy extensions hand each host a new address in it every few hours), an
 * IPv4-mapped IPv6 address ({@code ::ffff:192.0.2.1}) as the IPv4 address it is.
 */
public final class ClientAddress {

    private static final Pattern IPV4 = Pattern.compile("((25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1?\\d?\\d)");

    private ClientAddress() {
    }

    /**
     * The client's address of a request: behind a trusted proxy the one it forwarded (X-Forwarded-For, see
     * {@code quarkus.http.proxy.trusted-proxies}), else the peer's; "unknown" when there is none.
     */
    public static String of(HttpServerRequest request) {
        SocketAddress remote = request.remoteAddress();
        return remote == null || remote.hostAddress() == null ? "unknown" : remote.hostAddress();
    }

    /**
     * {@code 192.0.2.1} for an IPv4 address (mapped or not), {@code 2001:db8:1:2::/64} for any address of that /64;
     * anything that is not an IP literal (say "unknown") is its own group, as it is. Never resolves a name.
     */
    public static String group(String address) {
        if (address == null || !(address.indexOf(':') >= 0 || IPV4.matcher(address).matches())) {
            return address;
        }
        InetAddress ip;
        try {
            ip = InetAddress.getByName(address); // an IP literal (checked above, or ':' in it): parsed, never looked up
        } catch (UnknownHostException | IllegalArgumentException e) {
            return address;
        }
        if (ip instanceof Inet6Address) {
            byte[] bytes = ip.getAddress();
            StringBuilder network = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                network.append(Integer.toHexString((bytes[i] & 0xff) << 8 | (bytes[i + 1] & 0xff))).append(':');
            }
            return network.append(":/64").toString();
        }
        return ip.getHostAddress();
    }
}
