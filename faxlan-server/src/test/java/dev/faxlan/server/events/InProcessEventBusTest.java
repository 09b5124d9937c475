package dev.faxlan.server.events;

import dev.faxlan.server.core.port.EventBus;
import dev.faxlan.server.core.port.EventBusContract;

/** The event bus contract on the in-process bus. */
class InProcessEventBusTest implements EventBusContract {
    private final InProcessEventBus bus = new InProcessEventBus();

    @Override
    public EventBus bus() {
        return bus;
    }
}
