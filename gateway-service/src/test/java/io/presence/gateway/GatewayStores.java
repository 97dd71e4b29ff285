package io.presence.gateway;

import io.presence.infra.InfraTestResource;

/** gateway tests run on the discovered Redis. */
public class GatewayStores extends InfraTestResource {

    public GatewayStores() {
        super(Store.REDIS);
    }
}
