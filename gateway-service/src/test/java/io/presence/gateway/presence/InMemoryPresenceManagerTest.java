package io.presence.gateway.presence;

/** The presence contract on the in-memory implementation. */
class InMemoryPresenceManagerTest extends PresenceManagerContract {

    private final InMemoryPresenceManager manager = new InMemoryPresenceManager();

    @Override
    protected PresenceManager manager() {
        return manager;
    }
}
