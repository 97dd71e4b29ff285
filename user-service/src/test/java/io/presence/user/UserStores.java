package io.presence.user;

import io.presence.infra.InfraTestResource;

/** user-service tests run on a fresh database of the discovered PostgreSQL and on the discovered Redis. */
public class UserStores extends InfraTestResource {

    public UserStores() {
        super(Store.POSTGRES, Store.REDIS);
    }
}
