package dev.faxlan.server.storage;

import dev.faxlan.server.core.job.Job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What every storage backend must do, written once (in the manner of Apache James' MailQueueContract).
 * An implementation's test supplies a freshly migrated, empty {@link Database} per test; H2 does it in
 * {@link H2StorageTest}, PostgreSQL will do the same.
 */
public interface StorageContract {
    long NOW = 1_700_000_000_000L;
    String DOC_A = "a".repeat(64);
    String DOC_B = "b".repeat(64);

    /** An empty, migrated database, the same instance for the whole of one test. */
    Database database();

    // ---- transactions ----

    @Test
    default void txCommitsOnReturn() throws Exception {
        database().tx(c -> Users.insert(c, "alice", "user", "h", NOW));
        assertThat(database().tx((Connection c) -> Users.byName(c, "alice"))).isPresent();
    }

    @Test
    default void txRollsBackOnException() throws Exception {
        assertThatThrownBy(() -> database().tx(c -> {
            Users.insert(c, "alice", "user", "h", NOW);
            throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class).hasMessage("boom");
        assertThat(database().tx((Connection c) -> Users.byName(c, "alice"))).isEmpty();
        assertThat(database().tx(Users::count)).isZero();
    }

    // ---- users ----

    @Test
    default void usersAreStoredAndFound() throws Exception {
        long alice = database().tx(c -> Users.insert(c, "alice", "user", "hash-a", NOW));
        long root = database().tx(c -> Users.insert(c, "root", "admin", "hash-r", NOW + 1));
        assertThat(alice).isNotEqualTo(root);
        Users.User a = database().tx(c -> Users.byName(c, "alice")).orElseThrow();
        assertThat(a).isEqualTo(new Users.User(alice, "alice", "user", "hash-a", NOW));
        assertThat(a.isAdmin()).isFalse();
        assertThat(database().tx((Connection c) -> Users.byId(c, root)).orElseThrow().isAdmin()).isTrue();
        assertThat(database().tx((Connection c) -> Users.byName(c, "nobody"))).isEmpty();
        assertThat(database().tx((Connection c) -> Users.byId(c, 999_999))).isEmpty();
        assertThat(database().tx(Users::all)).extracting(Users.User::name).containsExactly("alice", "root");
        assertThat(database().tx(Users::count)).isEqualTo(2);
    }

    @Test
    default void userNamesAreUnique() throws Exception {
        database().tx(c -> Users.insert(c, "alice", "user", "h", NOW));
        assertThatThrownBy(() -> database().tx(c -> Users.insert(c, "alice", "admin", "h2", NOW)))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).startsWith("23"));
    }

    @Test
    default void passwordIsUpdatedAndUserDeleted() throws Exception {
        long id = database().tx(c -> Users.insert(c, "alice", "user", "old", NOW));
        assertThat(database().tx((Connection c) -> Users.updatePassword(c, id, "new"))).isTrue();
        assertThat(database().tx((Connection c) -> Users.byId(c, id)).orElseThrow().passwordHash()).isEqualTo("new");
        assertThat(database().tx((Connection c) -> Users.updatePassword(c, id + 1000, "x"))).isFalse();
        assertThat(database().tx((Connection c) -> Users.delete(c, id))).isTrue();
        assertThat(database().tx((Connection c) -> Users.delete(c, id))).isFalse();
        assertThat(database().tx((Connection c) -> Users.byId(c, id))).isEmpty();
    }

    // ---- sessions ----

    @Test
    default void sessionsResolveToTheirUserUntilTheyExpire() throws Exception {
        long alice = user("alice");
        byte[] token = {1, 2, 3};
        database().tx(c -> {
            Sessions.insert(c, token, alice, NOW, NOW + 1000);
            return null;
        });
        assertThat(database().tx((Connection c) -> Sessions.userOf(c, token, NOW)).getAsLong()).isEqualTo(alice);
        assertThat(database().tx((Connection c) -> Sessions.userOf(c, token, NOW + 999)).getAsLong()).isEqualTo(alice);
        assertThat(database().tx((Connection c) -> Sessions.userOf(c, token, NOW + 1000))).isEmpty();
        assertThat(database().tx((Connection c) -> Sessions.userOf(c, new byte[] {1, 2, 4}, NOW))).isEmpty();
    }

    @Test
    default void sessionsAreDeletedOneByOnePerUserOrWhenExpired() throws Exception {
        long alice = user("alice");
        long bob = user("bob");
        database().tx(c -> {
            Sessions.insert(c, new byte[] {1}, alice, NOW, NOW + 10);
            Sessions.insert(c, new byte[] {2}, alice, NOW, NOW + 1000);
            Sessions.insert(c, new byte[] {3}, bob, NOW, NOW + 1000);
            Sessions.insert(c, new byte[] {4}, bob, NOW, NOW + 5);
            return null;
        });
        assertThat(database().tx((Connection c) -> Sessions.deleteExpired(c, NOW + 10))).isEqualTo(2);
        database().tx(c -> {
            Sessions.delete(c, new byte[] {3});
            return null;
        });
        assertThat(database().tx((Connection c) -> Sessions.userOf(c, new byte[] {3}, NOW))).isEmpty();
        assertThat(database().tx((Connection c) -> Sessions.userOf(c, new byte[] {2}, NOW))).isPresent();
        database().tx(c -> {
            Sessions.deleteForUser(c, alice);
            return null;
        });
        assertThat(database().tx((Connection c) -> Sessions.userOf(c, new byte[] {2}, NOW))).isEmpty();
    }

    @Test
    default void deletingAUserEndsTheirSessions() throws Exception {
        long alice = user("alice");
        database().tx(c -> {
            Sessions.insert(c, new byte[] {7}, alice, NOW, NOW + 1000);
            Users.delete(c, alice);
            return null;
        });
        assertThat(database().tx((Connection c) -> Sessions.userOf(c, new byte[] {7}, NOW))).isEmpty();
    }

    // ---- idempotency ----

    @Test
    default void idempotencyRecordsAreKeptPerUserAndKey() throws Exception {
        long alice = user("alice");
        long bob = user("bob");
        byte[] key = new byte[16];
        key[0] = 42;
        assertThat(database().tx((Connection c) -> Idempotency.find(c, alice, key))).isEmpty();
        database().tx(c -> {
            Idempotency.insert(c, alice, key, "submit", new byte[] {5, 5}, new byte[] {9, 8, 7}, NOW);
            return null;
        });
        Idempotency.Stored s = database().tx(c -> Idempotency.find(c, alice, key)).orElseThrow();
        assertThat(s.op()).isEqualTo("submit");
        assertThat(s.requestSha256()).containsExactly(5, 5);
        assertThat(s.response()).containsExactly(9, 8, 7);
        // The same key is another record for another user.
        assertThat(database().tx((Connection c) -> Idempotency.find(c, bob, key))).isEmpty();
        database().tx(c -> {
            Idempotency.insert(c, bob, key, "job.cancel", null, new byte[] {1}, NOW);
            return null;
        });
        assertThat(database().tx((Connection c) -> Idempotency.find(c, bob, key)).orElseThrow().op()).isEqualTo("job.cancel");
    }

    @Test
    default void aSecondRecordForTheSameKeyIsAUniqueViolation() throws Exception {
        long alice = user("alice");
        byte[] key = new byte[16];
        database().tx(c -> {
            Idempotency.insert(c, alice, key, "submit", null, new byte[] {1}, NOW);
            return null;
        });
        assertThatThrownBy(() -> database().tx(c -> {
            Idempotency.insert(c, alice, key.clone(), "submit", null, new byte[] {2}, NOW);
            return null;
        })).isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).startsWith("23"));
        assertThat(database().tx((Connection c) -> Idempotency.find(c, alice, key)).orElseThrow().response()).containsExactly(1);
    }

    @Test
    default void oldIdempotencyRecordsArePurged() throws Exception {
        long alice = user("alice");
        database().tx(c -> {
            Idempotency.insert(c, alice, new byte[] {1}, "submit", null, new byte[] {1}, NOW - 100);
            Idempotency.insert(c, alice, new byte[] {2}, "submit", null, new byte[] {2}, NOW);
            return null;
        });
        assertThat(database().tx((Connection c) -> Idempotency.purge(c, NOW))).isEqualTo(1);
        assertThat(database().tx((Connection c) -> Idempotency.find(c, alice, new byte[] {1}))).isEmpty();
        assertThat(database().tx((Connection c) -> Idempotency.find(c, alice, new byte[] {2}))).isPresent();
    }

    // ---- documents and uploads ----

    @Test
    default void documentsAreRecordedOnce() throws Exception {
        assertThat(database().tx((Connection c) -> Documents.size(c, DOC_A))).isEmpty();
        database().tx(c -> {
            Documents.insertIfAbsent(c, DOC_A, 123, NOW);
            Documents.insertIfAbsent(c, DOC_A, 456, NOW + 1);
            return null;
        });
        assertThat(database().tx((Connection c) -> Documents.size(c, DOC_A)).getAsLong()).isEqualTo(123);
    }

    @Test
    default void uploadsAreStoredAndCompleted() throws Exception {
        long alice = user("alice");
        Uploads.Upload u = new Uploads.Upload("0123456789abcdef01234567", alice, 1000, DOC_A, "letter.pdf", NOW, false);
        database().tx(c -> {
            Uploads.insert(c, u);
            Uploads.insert(c, new Uploads.Upload("other", alice, 0, DOC_B, null, NOW, true));
            return null;
        });
        assertThat(database().tx((Connection c) -> Uploads.byId(c, u.id()))).contains(u);
        assertThat(database().tx((Connection c) -> Uploads.byId(c, "other")).orElseThrow().name()).isNull();
        database().tx(c -> {
            Uploads.markCompleted(c, u.id());
            return null;
        });
        assertThat(database().tx((Connection c) -> Uploads.byId(c, u.id())).orElseThrow().completed()).isTrue();
        assertThat(database().tx((Connection c) -> Uploads.byId(c, "missing"))).isEmpty();
    }

    // ---- jobs ----

    @Test
    default void jobsAreStoredWithTheirDocumentsInOrder() throws Exception {
        long alice = user("alice");
        documents(DOC_A, DOC_B);
        long id = database().tx(c -> Jobs.insert(c, new Jobs.NewJob(alice, "sub1", "+4930123", "queued", "Hello", "cover-1",
                "fine", NOW + 60_000, List.of(DOC_B, DOC_A)), NOW));
        Job j = database().tx(c -> Jobs.byId(c, id)).orElseThrow();
        assertThat(j).isEqualTo(new Job(id, alice, "alice", "sub1", "+4930123", "queued", "Hello", "cover-1", "fine",
                NOW + 60_000, NOW, NOW, null, 0, List.of(DOC_B, DOC_A)));
        long plain = database().tx(c -> Jobs.insert(c, new Jobs.NewJob(alice, "sub2", "555", "queued", null, null, "standard",
                null, List.of(DOC_A)), NOW));
        Job p = database().tx(c -> Jobs.byId(c, plain)).orElseThrow();
        assertThat(p.sendAt()).isNull();
        assertThat(p.subject()).isNull();
        assertThat(database().tx((Connection c) -> Jobs.byId(c, 999_999))).isEmpty();
    }

    @Test
    default void jobsMustReferenceKnownDocuments() throws Exception {
        long alice = user("alice");
        assertThatThrownBy(() -> database().tx(c -> Jobs.insert(c, new Jobs.NewJob(alice, "s", "555", "queued", null, null,
                "fine", null, List.of(DOC_A)), NOW))).isInstanceOf(SQLException.class);
        assertThat(database().tx(Jobs::count)).isZero();
    }

    @Test
    default void jobListsAreNewestFirstPerUserAndHideFinishedOnes() throws Exception {
        long alice = user("alice");
        long bob = user("bob");
        documents(DOC_A);
        long a1 = job(alice, "queued");
        long b1 = job(bob, "queued");
        long a2 = job(alice, "queued");
        long a3 = job(alice, "queued");
        database().tx(c -> Jobs.updateState(c, a2, "cancelled", "cancelled by alice", NOW + 5));
        assertThat(database().tx((Connection c) -> Jobs.list(c, alice, false, 100))).extracting(Job::id).containsExactly(a3, a1);
        assertThat(database().tx((Connection c) -> Jobs.list(c, alice, true, 100))).extracting(Job::id).containsExactly(a3, a2, a1);
        assertThat(database().tx((Connection c) -> Jobs.list(c, null, true, 100))).extracting(Job::id).containsExactly(a3, a2, b1, a1);
        assertThat(database().tx((Connection c) -> Jobs.list(c, null, true, 2))).extracting(Job::id).containsExactly(a3, a2);
        assertThat(database().tx((Connection c) -> Jobs.list(c, bob, true, 100))).extracting(Job::id).containsExactly(b1);
        Job cancelled = database().tx(c -> Jobs.byId(c, a2)).orElseThrow();
        assertThat(cancelled.state()).isEqualTo("cancelled");
        assertThat(cancelled.reason()).isEqualTo("cancelled by alice");
        assertThat(cancelled.updated()).isEqualTo(NOW + 5);
        assertThat(cancelled.created()).isEqualTo(NOW);
        assertThat(database().tx((Connection c) -> Jobs.updateState(c, 999_999, "done", null, NOW))).isFalse();
        assertThat(database().tx(Jobs::count)).isEqualTo(4);
    }

    // ---- events and alert cursors ----

    @Test
    default void eventSequenceNumbersArePerUserAndGapFree() throws Exception {
        long alice = user("alice");
        long bob = user("bob");
        assertThat(database().tx((Connection c) -> Events.lastSeq(c, alice))).isZero();
        List<Long> seqs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            seqs.add(database().tx(c -> Events.append(c, alice, "job", new byte[] {1}, NOW)));
        }
        seqs.add(database().tx(c -> Events.append(c, bob, "job", new byte[] {2}, NOW)));
        seqs.add(database().tx(c -> Events.append(c, alice, "job", new byte[] {3}, NOW + 1)));
        assertThat(seqs).containsExactly(1L, 2L, 3L, 1L, 4L);
        assertThat(database().tx((Connection c) -> Events.lastSeq(c, alice))).isEqualTo(4);
        assertThat(database().tx((Connection c) -> Events.lastSeq(c, bob))).isEqualTo(1);
        List<Events.StoredEvent> after = database().tx(c -> Events.after(c, alice, 1, 100));
        assertThat(after).extracting(Events.StoredEvent::seq).containsExactly(2L, 3L, 4L);
        assertThat(after.get(2).body()).containsExactly(3);
        assertThat(after.get(2).time()).isEqualTo(NOW + 1);
        assertThat(after.get(2).type()).isEqualTo("job");
        assertThat(database().tx((Connection c) -> Events.after(c, alice, 0, 2))).extracting(Events.StoredEvent::seq).containsExactly(1L, 2L);
        assertThat(database().tx((Connection c) -> Events.after(c, alice, 4, 100))).isEmpty();
    }

    @Test
    default void eventsOfARolledBackTransactionLeaveNoGap() throws Exception {
        long alice = user("alice");
        database().tx(c -> Events.append(c, alice, "job", new byte[0], NOW));
        assertThatThrownBy(() -> database().tx(c -> {
            Events.append(c, alice, "job", new byte[0], NOW);
            throw new IllegalStateException("abort");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(database().tx((Connection c) -> Events.append(c, alice, "job", new byte[0], NOW))).isEqualTo(2);
    }

    @Test
    default void concurrentAppendsForOneUserStayGapFree() throws Exception {
        long alice = user("alice");
        int threads = 4;
        int each = 15;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Callable<List<Long>>> tasks = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                tasks.add(() -> {
                    List<Long> mine = new ArrayList<>();
                    for (int i = 0; i < each; i++) mine.add(database().tx(c -> Events.append(c, alice, "job", new byte[0], NOW)));
                    return mine;
                });
            }
            List<Long> all = new ArrayList<>();
            for (Future<List<Long>> f : pool.invokeAll(tasks, 60, TimeUnit.SECONDS)) all.addAll(f.get());
            assertThat(all).hasSize(threads * each).doesNotHaveDuplicates();
            assertThat(all).allSatisfy(s -> assertThat(s).isBetween(1L, (long) threads * each));
        } finally {
            pool.shutdownNow();
        }
        assertThat(database().tx((Connection c) -> Events.after(c, alice, 0, 1000))).extracting(Events.StoredEvent::seq)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, threads * each).boxed().toList());
    }

    @Test
    default void appendingForAMissingUserFails() {
        assertThatThrownBy(() -> database().tx(c -> Events.append(c, 424242, "job", new byte[0], NOW)))
                .isInstanceOf(SQLException.class).hasMessageContaining("424242");
    }

    @Test
    default void alertCursorsStartUnsetAndOnlyMoveForward() throws Exception {
        long alice = user("alice");
        assertThat(database().tx((Connection c) -> Events.cursor(c, alice, "desk"))).isEqualTo(-1);
        advance(alice, "desk", 5);
        assertThat(database().tx((Connection c) -> Events.cursor(c, alice, "desk"))).isEqualTo(5);
        advance(alice, "desk", 3);
        assertThat(database().tx((Connection c) -> Events.cursor(c, alice, "desk"))).isEqualTo(5);
        advance(alice, "desk", 5);
        advance(alice, "desk", 9);
        assertThat(database().tx((Connection c) -> Events.cursor(c, alice, "desk"))).isEqualTo(9);
        // Subscribers are independent.
        assertThat(database().tx((Connection c) -> Events.cursor(c, alice, "phone"))).isEqualTo(-1);
        advance(alice, "phone", 0);
        assertThat(database().tx((Connection c) -> Events.cursor(c, alice, "phone"))).isZero();
        advance(alice, "phone", 0);
        assertThat(database().tx((Connection c) -> Events.cursor(c, alice, "phone"))).isZero();
    }

    // ---- received faxes ----

    @Test
    default void receivedFaxesAreStoredAndListedNewestFirst() throws Exception {
        documents(DOC_A);
        long a = database().tx(c -> ReceivedFaxes.insert(c, received(NOW, DOC_A, 2)));
        long b = database().tx(c -> ReceivedFaxes.insert(c, received(NOW + 10, null, 0)));
        long c2 = database().tx(c -> ReceivedFaxes.insert(c, received(NOW + 5, DOC_A, 1)));
        assertThat(database().tx((Connection c) -> ReceivedFaxes.byId(c, a))).contains(new ReceivedFaxes.Fax(a, NOW, "trunk1",
                "+4930111111", "+4930222222", "+49 30 111111", "sub", "sid", 2, 3, 60_000, "OK", DOC_A, 1234, null, false));
        ReceivedFaxes.Fax none = database().tx(c -> ReceivedFaxes.byId(c, b)).orElseThrow();
        assertThat(none.sha256()).isNull();
        assertThat(none.size()).isZero();
        assertThat(database().tx((Connection c) -> ReceivedFaxes.list(c, 10))).extracting(ReceivedFaxes.Fax::id).containsExactly(b, c2, a);
        assertThat(database().tx((Connection c) -> ReceivedFaxes.list(c, 2))).extracting(ReceivedFaxes.Fax::id).containsExactly(b, c2);
        assertThat(database().tx((Connection c) -> ReceivedFaxes.byId(c, 999_999))).isEmpty();
        assertThat(database().tx(ReceivedFaxes::count)).isEqualTo(3);
    }

    @Test
    default void receivedFaxesAreRoutedToMailboxesAndMarkedRead() throws Exception {
        documents(DOC_A);
        long a = database().tx(c -> ReceivedFaxes.insert(c, received(NOW, DOC_A, 1)));
        long b = database().tx(c -> ReceivedFaxes.insert(c, received(NOW + 1, DOC_A, 1)));
        assertThat(database().tx((Connection c) -> ReceivedFaxes.setMailbox(c, a, "sales"))).isTrue();
        assertThat(database().tx((Connection c) -> ReceivedFaxes.setMailbox(c, b, "sales"))).isTrue();
        assertThat(database().tx((Connection c) -> ReceivedFaxes.setMailbox(c, 999_999, "sales"))).isFalse();
        assertThat(database().tx((Connection c) -> ReceivedFaxes.inMailbox(c, "sales", 10))).extracting(ReceivedFaxes.Fax::id)
                .containsExactly(b, a);
        assertThat(database().tx((Connection c) -> ReceivedFaxes.inMailbox(c, "support", 10))).isEmpty();
        assertThat(database().tx((Connection c) -> ReceivedFaxes.setRead(c, a, true))).isTrue();
        assertThat(database().tx((Connection c) -> ReceivedFaxes.byId(c, a)).orElseThrow().read()).isTrue();
        assertThat(database().tx((Connection c) -> ReceivedFaxes.byId(c, b)).orElseThrow().read()).isFalse();
        assertThat(database().tx((Connection c) -> ReceivedFaxes.setRead(c, 999_999, true))).isFalse();
        database().tx(c -> ReceivedFaxes.setMailbox(c, a, null));
        assertThat(database().tx((Connection c) -> ReceivedFaxes.byId(c, a)).orElseThrow().mailbox()).isNull();
        assertThat(database().tx((Connection c) -> ReceivedFaxes.inMailbox(c, "sales", 10))).extracting(ReceivedFaxes.Fax::id)
                .containsExactly(b);
    }

    @Test
    default void aReceivedFaxHasADocumentExactlyWhenItHasPages() throws Exception {
        documents(DOC_A);
        assertThatThrownBy(() -> database().tx(c -> ReceivedFaxes.insert(c, received(NOW, DOC_B, 1))))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).startsWith("23"));
        assertThatThrownBy(() -> database().tx(c -> ReceivedFaxes.insert(c, received(NOW, null, 2))))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).startsWith("23"));
        assertThatThrownBy(() -> database().tx(c -> ReceivedFaxes.insert(c, received(NOW, DOC_A, 0))))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).startsWith("23"));
        assertThat(database().tx(ReceivedFaxes::count)).isZero();
    }

    @Test
    default void receivedFaxesAreListedByMailboxesMovedAndDeleted() throws Exception {
        documents(DOC_A);
        long a = database().tx(c -> ReceivedFaxes.insert(c, received(NOW, DOC_A, 1)));
        long b = database().tx(c -> ReceivedFaxes.insert(c, received(NOW + 1, DOC_A, 1)));
        long d = database().tx(c -> ReceivedFaxes.insert(c, received(NOW + 2, DOC_A, 1)));
        database().tx(c -> ReceivedFaxes.setMailbox(c, a, "alice"));
        database().tx(c -> ReceivedFaxes.setMailbox(c, b, "sales"));
        database().tx(c -> ReceivedFaxes.setMailbox(c, d, "bob"));
        assertThat(database().tx((Connection c) -> ReceivedFaxes.inMailboxes(c, List.of("alice", "sales"), 10)))
                .extracting(ReceivedFaxes.Fax::id).containsExactly(b, a);
        assertThat(database().tx((Connection c) -> ReceivedFaxes.inMailboxes(c, List.of(), 10))).isEmpty();
        assertThat(database().tx((Connection c) -> ReceivedFaxes.moveMailbox(c, "alice", "Unaddressed"))).isEqualTo(1);
        assertThat(database().tx((Connection c) -> ReceivedFaxes.byId(c, a)).orElseThrow().mailbox()).isEqualTo("Unaddressed");
        assertThat(database().tx((Connection c) -> ReceivedFaxes.delete(c, d))).isTrue();
        assertThat(database().tx((Connection c) -> ReceivedFaxes.delete(c, d))).isFalse();
        assertThat(database().tx(ReceivedFaxes::count)).isEqualTo(2);
    }

    // ---- mailboxes and routes ----

    @Test
    default void theUnaddressedMailboxExistsFromTheStart() throws Exception {
        Mailboxes.Mailbox u = database().tx(c -> Mailboxes.byName(c, Mailboxes.UNADDRESSED)).orElseThrow();
        assertThat(u.shared()).isTrue();
        assertThat(database().tx((Connection c) -> Mailboxes.users(c, u.id()))).isEmpty();
    }

    @Test
    default void mailboxesArePersonalOrSharedWithMembers() throws Exception {
        long alice = user("alice");
        long bob = user("bob");
        long personal = database().tx(c -> Mailboxes.insert(c, "alice", alice, NOW));
        long sales = database().tx(c -> Mailboxes.insert(c, "sales", null, NOW));
        assertThat(database().tx((Connection c) -> Mailboxes.personal(c, alice)).orElseThrow().id()).isEqualTo(personal);
        assertThat(database().tx((Connection c) -> Mailboxes.personal(c, bob))).isEmpty();
        assertThat(database().tx((Connection c) -> Mailboxes.addMember(c, sales, bob))).isTrue();
        assertThat(database().tx((Connection c) -> Mailboxes.addMember(c, sales, bob))).isFalse();
        assertThat(database().tx((Connection c) -> Mailboxes.ofUser(c, bob))).extracting(Mailboxes.Mailbox::name).containsExactly("sales");
        assertThat(database().tx((Connection c) -> Mailboxes.ofUser(c, alice))).extracting(Mailboxes.Mailbox::name).containsExactly("alice");
        assertThat(database().tx((Connection c) -> Mailboxes.users(c, personal))).containsExactly(alice);
        assertThat(database().tx((Connection c) -> Mailboxes.users(c, sales))).containsExactly(bob);
        assertThat(database().tx(Mailboxes::all)).extracting(Mailboxes.Mailbox::name).containsExactly("Unaddressed", "alice", "sales");
        assertThatThrownBy(() -> database().tx(c -> Mailboxes.insert(c, "sales", null, NOW)))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).startsWith("23"));
        assertThat(database().tx((Connection c) -> Mailboxes.removeMember(c, sales, bob))).isTrue();
        assertThat(database().tx((Connection c) -> Mailboxes.ofUser(c, bob))).isEmpty();
        // A removed user's personal mailbox goes with them.
        database().tx(c -> Users.delete(c, alice));
        assertThat(database().tx((Connection c) -> Mailboxes.byName(c, "alice"))).isEmpty();
    }

    @Test
    default void routesKeepGapFreePositions() throws Exception {
        long sales = database().tx(c -> Mailboxes.insert(c, "sales", null, NOW));
        Routes.Match did = new Routes.Match("100", null, null, null, null);
        long r1 = database().tx(c -> Routes.insert(c, 0, did, sales, NOW));
        long r2 = database().tx(c -> Routes.insert(c, 0, new Routes.Match(null, "7*", null, null, null), sales, NOW));
        long r0 = database().tx(c -> Routes.insert(c, 1, new Routes.Match(null, null, "ACME", "+49*", "trunk1"), sales, NOW));
        List<Routes.Route> all = database().tx(Routes::all);
        assertThat(all).extracting(Routes.Route::id).containsExactly(r0, r1, r2);
        assertThat(all).extracting(Routes.Route::position).containsExactly(1, 2, 3);
        assertThat(all.get(0).match()).isEqualTo(new Routes.Match(null, null, "ACME", "+49*", "trunk1"));
        assertThat(all.get(0).mailbox()).isEqualTo("sales");
        assertThat(database().tx((Connection c) -> Routes.byId(c, r1)).orElseThrow().match()).isEqualTo(did);
        assertThat(database().tx((Connection c) -> Routes.delete(c, r0))).isTrue();
        assertThat(database().tx((Connection c) -> Routes.delete(c, r0))).isFalse();
        assertThat(database().tx(Routes::all)).extracting(Routes.Route::position).containsExactly(1, 2);
        // Rules die with their mailbox.
        database().tx(c -> Mailboxes.delete(c, sales));
        assertThat(database().tx(Routes::count)).isZero();
    }

    // ---- OCR text ----

    private static dev.faxlan.documents.ocr.PageText pageText(String... lines) {
        List<dev.faxlan.documents.ocr.PageText.Word> words = new java.util.ArrayList<>();
        for (int l = 0; l < lines.length; l++) {
            int x = 0;
            for (String w : lines[l].split(" ")) {
                words.add(new dev.faxlan.documents.ocr.PageText.Word(w, x, l * 50, 20 * w.length(), 40, l));
                x += 20 * w.length() + 20;
            }
        }
        return new dev.faxlan.documents.ocr.PageText(1728, 2200, 204, 196, words);
    }

    @Test
    default void aNumbersMediaFailureIsReplacedByItsNextOneAndForgotten() throws Exception {
        database().tx(c -> {
            DestinationMedia.put(c, "+15550100", dev.faxlan.lines.Media.T38, "488", NOW, NOW + 1000);
            DestinationMedia.put(c, "+15550100", dev.faxlan.lines.Media.G711, "no carrier", NOW + 10, NOW + 2000);
            return null;
        });
        assertThat(database().tx((Connection c) -> DestinationMedia.find(c, "+15550100", NOW + 1500)))
                .contains(new DestinationMedia.Failure("+15550100", dev.faxlan.lines.Media.G711, "no carrier", NOW + 10, NOW + 2000));
        assertThat(database().tx((Connection c) -> DestinationMedia.forget(c, "+15550100", dev.faxlan.lines.Media.G711))).isTrue();
        assertThat(database().tx((Connection c) -> DestinationMedia.find(c, "+15550100", NOW))).isEmpty();
    }

    @Test
    default void searchFindsFaxesWithAllTheWordsInTheGivenMailboxes() throws Exception {
        database().tx(c -> { Documents.insertIfAbsent(c, DOC_A, 1234, NOW); return null; });
        database().tx(c -> { Documents.insertIfAbsent(c, DOC_B, 1234, NOW); return null; });
        long f1 = database().tx(c -> ReceivedFaxes.insert(c, received(NOW, DOC_A, 2)));
        long f2 = database().tx(c -> ReceivedFaxes.insert(c, received(NOW + 1, DOC_B, 1)));
        database().tx(c -> {
            ReceivedFaxes.setMailbox(c, f1, "alice");
            ReceivedFaxes.setMailbox(c, f2, "bob");
            FaxTexts.putPage(c, f1, 1, pageText("Invoice 4711", "ACME Widgets"));
            FaxTexts.putPage(c, f1, 2, pageText("Payment due, Zebra Crossing Ltd."));
            FaxTexts.putPage(c, f2, 1, pageText("Invoice 4712 zebra"));
            return null;
        });
        java.util.function.BiFunction<List<String>, List<String>, List<Long>> search = (boxes, words) -> {
            try {
                return database().tx(c -> ReceivedFaxes.withWords(c, boxes, words, 100)).stream().map(ReceivedFaxes.Fax::id).toList();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        };
        // Every word must be there, each on any page; whole words only, newest first.
        assertThat(search.apply(null, List.of("invoice"))).containsExactly(f2, f1);
        assertThat(search.apply(null, List.of("invoice", "zebra"))).containsExactly(f2, f1);
        assertThat(search.apply(null, List.of("4711", "crossing"))).containsExactly(f1);
        assertThat(search.apply(null, List.of("4711", "4712"))).isEmpty();
        assertThat(search.apply(null, List.of("invo"))).isEmpty();
        assertThat(search.apply(null, List.of("due"))).containsExactly(f1);
        // Only the mailboxes given.
        assertThat(search.apply(List.of("bob"), List.of("invoice"))).containsExactly(f2);
        assertThat(search.apply(List.of("carol"), List.of("invoice"))).isEmpty();
        assertThat(search.apply(List.of(), List.of("invoice"))).isEmpty();
        // Pages come back with their words and boxes; a fax's text goes with it.
        List<FaxTexts.Page> pages = database().tx(c -> FaxTexts.pages(c, f1));
        assertThat(pages).extracting(FaxTexts.Page::page).containsExactly(1, 2);
        assertThat(pages.get(0).text()).isEqualTo(pageText("Invoice 4711", "ACME Widgets"));
        database().tx(c -> ReceivedFaxes.delete(c, f1));
        assertThat(database().tx((Connection c) -> FaxTexts.pages(c, f1))).isEmpty();
    }

    @Test
    default void theOcrQueueKeepsFaxesUntilTheyAreRead() throws Exception {
        database().tx(c -> { Documents.insertIfAbsent(c, DOC_A, 1234, NOW); return null; });
        long f1 = database().tx(c -> ReceivedFaxes.insert(c, received(NOW, DOC_A, 2)));
        long f2 = database().tx(c -> ReceivedFaxes.insert(c, received(NOW, DOC_A, 2)));
        database().tx(c -> {
            FaxTexts.enqueue(c, f2, true, NOW + 5);
            FaxTexts.enqueue(c, f1, false, NOW + 10);
            return null;
        });
        assertThat(database().tx((Connection c) -> FaxTexts.queued(c, 10))).containsExactly(new FaxTexts.Queued(f2, true, NOW + 5),
                new FaxTexts.Queued(f1, false, NOW + 10));
        database().tx(c -> { FaxTexts.routed(c, f2); return null; });
        assertThat(database().tx((Connection c) -> FaxTexts.queuedFax(c, f2)).orElseThrow().routeWhenRead()).isFalse();
        database().tx(c -> { FaxTexts.dequeue(c, f2); return null; });
        assertThat(database().tx(FaxTexts::queueLength)).isEqualTo(1);
        database().tx(c -> ReceivedFaxes.delete(c, f1));
        assertThat(database().tx(FaxTexts::queueLength)).isZero();
    }

    @Test
    default void aRouteKeepsItsContentWords() throws Exception {
        long sales = database().tx(c -> Mailboxes.insert(c, "sales", null, NOW));
        assertThat(database().tx(Routes::anyOnContent)).isFalse();
        long r = database().tx(c -> Routes.insert(c, 0, new Routes.Match(null, null, null, null, null, "order 4711"), sales, NOW));
        assertThat(database().tx((Connection c) -> Routes.byId(c, r)).orElseThrow().match().content()).isEqualTo("order 4711");
        assertThat(database().tx(Routes::anyOnContent)).isTrue();
    }

    // ---- helpers ----

    private static ReceivedFaxes.NewFax received(long at, String sha256, int pages) {
        return new ReceivedFaxes.NewFax(at, "trunk1", "+4930111111", "+4930222222", "+49 30 111111", "sub", "sid", pages, 3, 60_000,
                "OK", sha256, sha256 == null ? 0 : 1234, null);
    }

    private long user(String name) throws Exception {
        return database().tx(c -> Users.insert(c, name, "user", "h", NOW));
    }

    private void documents(String... shas) throws Exception {
        database().tx(c -> {
            for (String s : shas) Documents.insertIfAbsent(c, s, 10, NOW);
            return null;
        });
    }

    private long job(long userId, String state) throws Exception {
        return database().tx(c -> Jobs.insert(c, new Jobs.NewJob(userId, "s", "555", state, null, null, "fine", null, List.of(DOC_A)), NOW));
    }

    private void advance(long userId, String subscriber, long seq) throws Exception {
        database().tx(c -> {
            Events.advanceCursor(c, userId, subscriber, seq);
            return null;
        });
    }
}
