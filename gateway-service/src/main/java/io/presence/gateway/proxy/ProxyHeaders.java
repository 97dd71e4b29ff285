package io.presence.gateway.proxy;

import io.presence.common.internal.InternalAuthConfig;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The headers the proxy passes on: end-to-end ones only, never a client's forwarding headers or internal token, plus its own X-Forwarded-*. */
final class ProxyHeaders {

    /** Headers that describe one hop, not the message (RFC 9110 section 7.6.1), never forwarded. */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "host");

    /**
     * Headers a client may not set: the forwarding ones (the gateway states these facts itself) and the services' own
     * credential, which only a backend presents to another.
     */
    private static final Set<String> CLIENT_MAY_NOT_SET = Set.of("forwarded", "x-forwarded-for", "x-forwarded-proto",
            "x-forwarded-host", "x-forwarded-port", "x-forwarded-prefix", "x-forwarded-ssl", "x-real-ip",
            InternalAuthConfig.HEADER.toLowerCase(Locale.ROOT));

    private ProxyHeaders() {
    }

    /** The headers of the request to the backend: the client's end-to-end ones, less those it may not set, plus X-Forwarded-*. */
    static MultiMap toBackend(HttpServerRequest in) {
        MultiMap outHeaders = MultiMap.caseInsensitiveMultiMap();
        copy(in.headers(), outHeaders);
        CLIENT_MAY_NOT_SET.forEach(outHeaders::remove);
        forwardedHeaders(in).forEach(outHeaders::set);
        return outHeaders;
    }

    /**
     * What the backend is told about the request as the gateway received it: the client's address (replacing any
     * X-Forwarded-For the client sent, so it cannot choose the address it is throttled by), scheme, host and port.
     * With quarkus.http.proxy.* configured for a trusted Ingress, these are what that Ingress forwarded.
     */
    static Map<String, String> forwardedHeaders(HttpServerRequest in) {
        String scheme = in.scheme() == null ? "http" : in.scheme();
        String host = in.host() != null ? in.host()
                : in.localAddress() == null ? "localhost" : in.localAddress().hostAddress() + ":" + in.localAddress().port();
        int colon = host.lastIndexOf(':');
        String port = colon > host.lastIndexOf(']') ? host.substring(colon + 1) : "https".equals(scheme) ? "443" : "80";
        return Map.of(
                "X-Forwarded-For", in.remoteAddress() == null ? "unknown" : in.remoteAddress().hostAddress(),
                "X-Forwarded-Proto", scheme,
                "X-Forwarded-Host", host,
                "X-Forwarded-Port", port);
    }

    /** Copies end-to-end headers: drops hop-by-hop ones and any the sender named in its Connection header. */
    static void copy(MultiMap from, MultiMap to) {
        Set<String> named = connectionTokens(from.get(HttpHeaders.CONNECTION));
        for (var header : from) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(name) && !named.contains(name)) {
                to.add(header.getKey(), header.getValue());
            }
        }
    }

    private static Set<String> connectionTokens(String connection) {
        if (connection == null) {
            return Set.of();
        }
        return Arrays.stream(connection.toLowerCase(Locale.ROOT).split(","))
                .map(String::trim).collect(Collectors.toSet());
    }
}
