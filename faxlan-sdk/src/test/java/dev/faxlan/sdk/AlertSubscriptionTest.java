package dev.faxlan.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.protocol.Fields;
import dev.faxlan.protocol.Message;
import dev.faxlan.sdk.transport.CpiConnection;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Ordering, de-duplication and acks of pushed events, without a connection. */
class AlertSubscriptionTest {
    private final List<Long> delivered = new ArrayList<>();
    private final List<String> acks = new ArrayList<>();

    private AlertSubscription from(long seq) {
        return new AlertSubscription(null, "test", seq, a -> delivered.add(a.seq()));
    }

    private CpiConnection.PushedEvent event(long seq, String copy) {
        return new CpiConnection.PushedEvent(new Message.Event(seq, "job.queued", 0, Fields.EMPTY), () -> acks.add(seq + copy));
    }

    @Test
    void eventsAheadWaitForTheGapThenGoOutInOrder() {
        AlertSubscription s = from(0);
        s.onEvent(event(3, "a"));
        s.onEvent(event(2, "a"));
        assertThat(delivered).isEmpty();
        assertThat(acks).as("nothing is acked before it is delivered").isEmpty();
        s.onEvent(event(1, "a"));
        assertThat(delivered).containsExactly(1L, 2L, 3L);
        assertThat(acks).containsExactly("1a", "2a", "3a");
        assertThat(s.lastDelivered()).isEqualTo(3);
    }

    @Test
    void everyCopyOfAnEventIsAckedButDeliveredOnce() {
        // Two subscriptions (an old connection's and a new one's) can push the same seq; each pusher waits
        // for its own ack, so dropping either copy's ack would stall that pusher's window.
        AlertSubscription s = from(0);
        s.onEvent(event(2, "old"));
        s.onEvent(event(2, "new"));
        s.onEvent(event(1, "new"));
        assertThat(delivered).containsExactly(1L, 2L);
        assertThat(acks).containsExactlyInAnyOrder("1new", "2old", "2new");
    }

    @Test
    void alreadyDeliveredEventsAreAckedAndNotRepeated() {
        AlertSubscription s = from(5);
        s.onEvent(event(4, "x"));
        s.onEvent(event(5, "x"));
        assertThat(delivered).isEmpty();
        assertThat(acks).containsExactly("4x", "5x");
        s.onEvent(event(6, "x"));
        assertThat(delivered).containsExactly(6L);
    }

    @Test
    void aWithdrawnEventIsAckedAndSkippedNotDelivered() {
        // The server withdraws an event the user may no longer see; its seq still closes the gap.
        AlertSubscription s = from(0);
        s.onEvent(new CpiConnection.PushedEvent(new Message.Event(1, AlertSubscription.WITHDRAWN, 0, Fields.EMPTY), () -> acks.add("1w")));
        s.onEvent(event(2, "a"));
        assertThat(delivered).containsExactly(2L);
        assertThat(acks).containsExactly("1w", "2a");
        assertThat(s.lastDelivered()).isEqualTo(2);
    }
}
