package io.presence.gateway.node;

import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.util.HexFormat;

/** This gateway instance's id in Redis (node leases, the connections it holds); new at every start. */
@ApplicationScoped
public class NodeIdentity {

    private final String id;

    public NodeIdentity() {
        byte[] bytes = new byte[8];
        new SecureRandom().nextBytes(bytes);
        this.id = "gw-" + HexFormat.of().formatHex(bytes);
    }

    public String id() {
        return id;
    }
}
