package dev.faxlan.server.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faxlan.server.core.port.BusMessage;
import dev.faxlan.server.core.port.EventBus;
import dev.faxlan.server.core.port.EventBusContract;
import dev.faxlan.server.service.JobState;
import dev.faxlan.server.storage.Database;
import dev.faxlan.testkit.PostgresCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The event bus contract on PostgreSQL, and what only a bus between nodes does: two nodes are two
 * pools and two buses on one database of one throwaway PostgreSQL, restarted and crashed for real.
 * The pools (and their migrated database) serve the whole class; each test has buses of its own,
 * closed after it, so no test hears another's messages.
 */
class PostgresEventBusTest implements EventBusContract {
    private static PostgresCluster pg;
    private static Database here;
    private static Database there;
    private static String url;
    private final List<PostgresEventBus> open = new ArrayList<>();
    private PostgresEventBus bus;

    @BeforeAll
    static void startPostgres() throws Exception {
        pg = PostgresCluster.start();
        url = pg.jdbcUrl(pg.createDatabase());
        here = Database.open(url, pg.user(), pg.password());
        there = Database.open(url, pg.user(), pg.password());
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (here != null) here.close();
        if (there != null) there.close();
        if (pg != null) pg.close();
    }

    @BeforeEach
    void open() throws Exception {
        bus = node(here);
    }

    @AfterEach
    void close() {
        open.forEach(PostgresEventBus::close);
    }

    /** A node's bus on {@code db}, that node's pool. */
    private PostgresEventBus node(Database db) throws Exception {
        PostgresEventBus b = new PostgresEventBus(db);
        open.add(b);
        return b;
    }

    @Override
    public EventBus bus() {
        return bus;
    }

    @Test
    void aMessagePublishedOnOneNodeReachesTheOtherNodesSubscribersInOrderAndItsOwnOnce() throws Exception {
        PostgresEventBus other = node(there);
        List<BusMessage> there = new CopyOnWriteArrayList<>();
        List<BusMessage> here = new CopyOnWriteArrayList<>();
        other.subscribe(there::add);
        bus.subscribe(here::add);
        List<BusMessage> sent = List.of(new BusMessage.JobChanged(1, 10, JobState.DIALING), new BusMessage.FaxReceived(2, 20), new BusMessage.HangUp(10),
                new BusMessage.EventsAppended(3), new BusMessage.SessionsEnded(), new BusMessage.JobChanged(1, 10, JobState.DONE));
        sent.forEach(bus::publish);
        Awaitility.await().untilAsserted(() -> assertThat(there).containsExactlyElementsOf(sent));
        // Our own echo comes back after the other node heard the last message: by then it would have been delivered twice.
        other.publish(new BusMessage.HangUp(99));
        Awaitility.await().untilAsserted(() -> assertThat(here).hasSize(sent.size() + 1));
        assertThat(here.subList(0, sent.size())).containsExactlyElementsOf(sent);
        assertThat(here.get(sent.size())).isEqualTo(new BusMessage.HangUp(99));
    }

    @Test
    void aUserSubscriptionOnAnotherNodeHearsThatUsersNewsOnly() throws Exception {
        PostgresEventBus other = node(there);
        List<BusMessage.ForUser> alice = new CopyOnWriteArrayList<>();
        other.subscribe(7, alice::add);
        bus.publish(new BusMessage.JobChanged(8, 1, JobState.DONE));
        bus.publish(new BusMessage.EventsAppended(7));
        bus.publish(new BusMessage.FaxReceived(7, 5));
        Awaitility.await().untilAsserted(() -> assertThat(alice).containsExactly(new BusMessage.EventsAppended(7), new BusMessage.FaxReceived(7, 5)));
    }

    @Test
    void afterARestartAndACrashTheNodesListenAgainTellSubscribersToCatchUpAndDeliverAgain() throws Exception {
        PostgresEventBus other = node(there);
        List<BusMessage> there = new CopyOnWriteArrayList<>();
        List<BusMessage.ForUser> alice = new CopyOnWriteArrayList<>();
        other.subscribe(there::add);
        other.subscribe(7, alice::add);

        pg.restart();
        // Published while the other node may not listen yet: it may miss the NOTIFY, but not the resync after it.
        bus.publish(new BusMessage.HangUp(1));
        Awaitility.await().untilAsserted(() -> assertThat(there).contains(new BusMessage.Resync()));
        Awaitility.await().untilAsserted(() -> assertThat(alice).contains(new BusMessage.EventsAppended(7)));
        bus.publish(new BusMessage.HangUp(2));
        Awaitility.await().untilAsserted(() -> assertThat(there).endsWith(new BusMessage.HangUp(2)));

        there.clear();
        pg.crash();
        Awaitility.await().until(() -> !other.listening());
        bus.publish(new BusMessage.HangUp(3)); // the database is down: the other node may hear it late, and resyncs anyway
        pg.startAgain();
        Awaitility.await().untilAsserted(() -> assertThat(there).contains(new BusMessage.Resync()));
        bus.publish(new BusMessage.HangUp(4));
        Awaitility.await().untilAsserted(() -> assertThat(there).endsWith(new BusMessage.HangUp(4)));
    }

    /**
     * The database stays up and the other node keeps listening, so it has no reason to resync; the
     * publishing node's pooled connection died (as with a restart the listeners already recovered
     * from, its pool not yet aware): the NOTIFY is sent again on a new connection, not dropped.
     */
    @Test
    void aNotifyThatFailsOnADeadPooledConnectionIsSentAgainAndHeard() throws Exception {
        PostgresEventBus other = node(there);
        List<BusMessage> heard = new CopyOnWriteArrayList<>();
        other.subscribe(heard::add);
        Database twoPooled = Database.open(url, pg.user(), pg.password(), 2);
        try (java.sql.Connection admin = java.sql.DriverManager.getConnection(pg.jdbcUrl("postgres"), pg.user(), pg.password());
                java.sql.PreparedStatement kill = admin.prepareStatement("SELECT pg_terminate_backend(?)")) {
            PostgresEventBus publisher = node(twoPooled);
            publisher.publish(new BusMessage.HangUp(41));
            Awaitility.await().untilAsserted(() -> assertThat(heard).containsExactly(new BusMessage.HangUp(41)));

            // The pool's connections (two: its migration needed both), just used so the pool hands them out again without
            // checking them, are cut off.
            List<Integer> pids = new ArrayList<>();
            try (java.sql.Connection one = twoPooled.dataSource().getConnection(); java.sql.Connection two = twoPooled.dataSource().getConnection()) {
                for (java.sql.Connection c : List.of(one, two)) {
                    try (var st = c.createStatement(); var rs = st.executeQuery("SELECT pg_backend_pid()")) {
                        rs.next();
                        pids.add(rs.getInt(1));
                    }
                }
            }
            for (int pid : pids) {
                kill.setInt(1, pid);
                kill.executeQuery().close();
            }
            publisher.publish(new BusMessage.HangUp(42));
            Awaitility.await().untilAsserted(() -> assertThat(heard).containsExactly(new BusMessage.HangUp(41), new BusMessage.HangUp(42)));
            assertThat(other.listening()).isTrue();
        } finally {
            open.forEach(PostgresEventBus::close);
            open.clear();
            twoPooled.close();
        }
    }

    @Test
    void aPayloadIsTheTypeAndIdsAndAnUnknownOneIsRefusedWithItsText() {
        for (BusMessage m : List.of(new BusMessage.JobChanged(1, 2, JobState.CANCELLED), new BusMessage.FaxReceived(3, 4), new BusMessage.HangUp(5),
                new BusMessage.EventsAppended(6), new BusMessage.SessionsEnded())) {
            assertThat(PostgresEventBus.BusPayload.decode(PostgresEventBus.BusPayload.encode(m))).isEqualTo(m);
        }
        assertThat(PostgresEventBus.BusPayload.encode(new BusMessage.JobChanged(1, 2, JobState.CANCELLED))).isEqualTo("J 1 2 cancelled");
        assertThat(PostgresEventBus.BusPayload.encode(new BusMessage.Resync())).isNull();
        assertThatThrownBy(() -> PostgresEventBus.BusPayload.decode("X 1")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("X 1");
        assertThatThrownBy(() -> PostgresEventBus.BusPayload.decode("H one")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("H one");
    }
}
