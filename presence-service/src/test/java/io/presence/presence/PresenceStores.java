package io.presence.presence;

import io.presence.infra.InfraTestResource;

/** presence-service tests run on the discovered Redis. */
public class PresenceStores extends InfraTestResource {

    public PresenceStores() {
        super(Store.REDIS);
    }
}
