package io.presence.gateway.proxy;

import java.net.URI;

/** A backend service: a name for logs and problems, and the base URL requests are forwarded to. */
public record Backend(String name, URI baseUrl) {

    /** The absolute URL for a request URI (path and query) received by the gateway. */
    public String target(String requestUri) {
        String base = baseUrl.toString();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + requestUri;
    }
}
