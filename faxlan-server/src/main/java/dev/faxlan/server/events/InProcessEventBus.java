package dev.faxlan.server.events;

import dev.faxlan.server.core.port.BusMessage;
import dev.faxlan.server.core.port.EventBus;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event bus of one node: messages are delivered on the publisher's thread, in order, to the
 * listeners subscribed at that moment. Listeners must return quickly (hand long work to their own
 * threads), as the publisher waits for them.
 */
public final class InProcessEventBus implements EventBus {
    private static final Logger log = LoggerFactory.getLogger(InProcessEventBus.class);
    private final Set<Consumer<? super BusMessage>> listeners = ConcurrentHashMap.newKeySet();

    @Override
    public void publish(BusMessage message) {
        for (Consumer<? super BusMessage> l : listeners) {
            try {
                l.accept(message);
            } catch (RuntimeException e) {
                log.warn("a listener failed on {}: {}", message, e.toString());
            }
        }
    }

    @Override
    public Subscription subscribe(Consumer<? super BusMessage> listener) {
        // A wrapper per subscription: the same listener subscribed twice is two subscriptions.
        Consumer<BusMessage> own = listener::accept;
        listeners.add(own);
        return () -> listeners.remove(own);
    }
}
