package dev.faxlan.server.core.port;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.server.service.JobState;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * What every {@link EventBus} must do, written once. Delivery may be asynchronous (a bus between
 * nodes), so the tests wait for what must arrive; what must not arrive is checked after a later
 * message that must, since messages to one listener arrive in order.
 */
public interface EventBusContract {
    /** The bus under test, the same instance for the whole of one test. */
    EventBus bus();

    private static void await(Runnable assertion) {
        Awaitility.await().untilAsserted(assertion::run);
    }

    @Test
    default void everySubscriberHearsEveryMessageInOrder() {
        List<BusMessage> first = new CopyOnWriteArrayList<>();
        List<BusMessage> second = new CopyOnWriteArrayList<>();
        bus().subscribe(first::add);
        bus().subscribe(second::add);
        List<BusMessage> sent = List.of(new BusMessage.JobChanged(1, 10, JobState.DIALING), new BusMessage.FaxReceived(2, 20),
                new BusMessage.HangUp(10));
        sent.forEach(bus()::publish);
        await(() -> assertThat(first).containsExactlyElementsOf(sent));
        await(() -> assertThat(second).containsExactlyElementsOf(sent));
    }

    @Test
    default void aUserSubscriptionHearsOnlyThatUsersNews() {
        List<BusMessage.ForUser> alice = new CopyOnWriteArrayList<>();
        List<BusMessage> all = new CopyOnWriteArrayList<>();
        bus().subscribe(1, alice::add);
        bus().subscribe(all::add);
        bus().publish(new BusMessage.JobChanged(2, 11, JobState.DONE));
        bus().publish(new BusMessage.HangUp(11));
        bus().publish(new BusMessage.JobChanged(1, 10, JobState.SENDING));
        bus().publish(new BusMessage.FaxReceived(1, 20));
        await(() -> assertThat(alice).containsExactly(new BusMessage.JobChanged(1, 10, JobState.SENDING), new BusMessage.FaxReceived(1, 20)));
        await(() -> assertThat(all).hasSize(4));
    }

    @Test
    default void aClosedSubscriptionHearsNoMore() {
        List<BusMessage> closed = new CopyOnWriteArrayList<>();
        List<BusMessage> open = new CopyOnWriteArrayList<>();
        EventBus.Subscription s = bus().subscribe(closed::add);
        bus().subscribe(open::add);
        bus().publish(new BusMessage.HangUp(1));
        await(() -> assertThat(closed).containsExactly(new BusMessage.HangUp(1)));
        s.close();
        bus().publish(new BusMessage.HangUp(2));
        await(() -> assertThat(open).containsExactly(new BusMessage.HangUp(1), new BusMessage.HangUp(2)));
        assertThat(closed).containsExactly(new BusMessage.HangUp(1));
    }

    @Test
    default void aFailingListenerDoesNotKeepTheMessageFromTheOthers() {
        List<BusMessage> heard = new CopyOnWriteArrayList<>();
        bus().subscribe(m -> {
            throw new IllegalStateException("listener broke on " + m);
        });
        bus().subscribe(heard::add);
        bus().publish(new BusMessage.HangUp(7));
        bus().publish(new BusMessage.HangUp(8));
        await(() -> assertThat(heard).containsExactly(new BusMessage.HangUp(7), new BusMessage.HangUp(8)));
    }

    @Test
    default void theSameListenerSubscribedTwiceHearsTwice() {
        List<BusMessage> heard = new CopyOnWriteArrayList<>();
        java.util.function.Consumer<BusMessage> listener = heard::add;
        EventBus.Subscription one = bus().subscribe(listener);
        bus().subscribe(listener);
        bus().publish(new BusMessage.HangUp(1));
        await(() -> assertThat(heard).hasSize(2));
        one.close();
        bus().publish(new BusMessage.HangUp(2));
        await(() -> assertThat(heard).hasSize(3));
    }
}
