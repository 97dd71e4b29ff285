package io.presence.gateway.events;

import io.presence.common.event.ControlCommand;
import io.presence.common.event.Event;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/** A broker's handlers, each told everything in turn; one that fails does not keep the others from it. */
final class BrokerHandlers implements Broker.Handler {

    private static final Logger LOG = Logger.getLogger(BrokerHandlers.class);

    private final List<Broker.Handler> handlers = new CopyOnWriteArrayList<>();

    void add(Broker.Handler handler) {
        handlers.add(handler);
    }

    @Override
    public void onEvent(String bus, Event event) {
        each(h -> h.onEvent(bus, event), "handling an event on ", bus);
    }

    @Override
    public void onCommand(ControlCommand command) {
        each(h -> h.onCommand(command), "handling a control command", "");
    }

    @Override
    public void onRestored() {
        each(Broker.Handler::onRestored, "a bus restore listener", "");
    }

    private void each(Consumer<Broker.Handler> call, String what, String subject) {
        for (Broker.Handler handler : handlers) {
            try {
                call.accept(handler);
            } catch (RuntimeException e) {
                LOG.errorf(e, "%s%s failed", what, subject);
            }
        }
    }
}
