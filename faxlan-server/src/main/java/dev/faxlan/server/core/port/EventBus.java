package dev.faxlan.server.core.port;

import java.util.function.Consumer;

/**
 * Carries {@link BusMessage}s between the parts of the server (and, with a shared implementation,
 * between nodes): job changes and received faxes to the user's subscribers, hang-ups to the node
 * holding the call. A message is delivered to every subscription that exists when it is published;
 * a listener that throws does not keep it from the others.
 */
public interface EventBus {
    void publish(BusMessage message);

    /** Every message, until the subscription is closed. */
    Subscription subscribe(Consumer<? super BusMessage> listener);

    /**
     * The messages for user {@code userId}, until the subscription is closed; a {@link BusMessage.Resync}
     * reaches it as {@link BusMessage.EventsAppended} for that user.
     */
    default Subscription subscribe(long userId, Consumer<? super BusMessage.ForUser> listener) {
        return subscribe(m -> {
            if (m instanceof BusMessage.ForUser u && u.userId() == userId) listener.accept(u);
            if (m instanceof BusMessage.Resync) listener.accept(new BusMessage.EventsAppended(userId));
        });
    }

    /** Ends the delivery to one listener. */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
