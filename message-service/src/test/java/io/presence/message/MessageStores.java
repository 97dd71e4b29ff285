package io.presence.message;

import io.presence.infra.InfraTestResource;

/** message-service tests run on a fresh database of the discovered PostgreSQL and on the discovered Redis. */
public class MessageStores extends InfraTestResource {

    public MessageStores() {
        super(Store.POSTGRES, Store.REDIS);
    }
}
