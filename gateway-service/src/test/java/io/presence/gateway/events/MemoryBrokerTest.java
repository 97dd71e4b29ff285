package io.presence.gateway.events;

import io.presence.common.store.PresenceSchema;

/** The broker contract in memory; the bus is cut and restored by hand. */
class MemoryBrokerTest extends BrokerContract {

    private final PresenceSchema schema = new PresenceSchema("memory-broker-test");

    @Override
    Broker create(String clientName) {
        return new MemoryBroker(schema);
    }

    @Override
    PresenceSchema schema() {
        return schema;
    }

    @Override
    int cut(Broker broker, String clientName) {
        MemoryBroker memory = (MemoryBroker) broker;
        memory.cut();
        memory.restore();
        return 1;
    }
}
