package dev.faxlan.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faxlan.protocol.discovery.Discovery;
import dev.faxlan.sdk.ApiKey;
import dev.faxlan.sdk.Contact;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.InboxFax;
import dev.faxlan.sdk.Job;
import dev.faxlan.sdk.Route;
import dev.faxlan.sdk.SavedServers;
import dev.faxlan.sdk.ServerFinder;
import dev.faxlan.sdk.UserAccount;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every list command's --json prints its fields in one fixed order, the same in every run (users
 * diff and grep it; a hash map's order changes from one JVM start to the next), and its table has
 * one column per title.
 */
class ListingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T = 1_800_000_000_000L;
    private static final byte[] FINGERPRINT = new byte[32];

    /** The field names of each object in a JSON array, in the order the text has them. */
    private static List<List<String>> keys(String json) throws Exception {
        JsonNode array = JSON.readTree(json);
        assertThat(array.isArray()).as(json).isTrue();
        List<List<String>> out = new ArrayList<>();
        for (JsonNode item : array) {
            List<String> names = new ArrayList<>();
            for (Iterator<String> it = item.fieldNames(); it.hasNext(); ) names.add(it.next());
            out.add(names);
        }
        return out;
    }

    private static <T> List<String> jsonKeys(Listing<T> listing, T item) throws Exception {
        List<List<String>> all = keys(listing.render(List.of(item), true));
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    @Test
    void coverList() throws Exception {
        assertThat(jsonKeys(CoverCommand.LISTING, new FaxlanClient.CoverInfo("standard", "built-in"))).containsExactly("name", "kind");
    }

    @Test
    void mailboxList() throws Exception {
        assertThat(jsonKeys(MailboxCommand.LISTING, new FaxlanClient.MailboxInfo("Sales", "shared", List.of("alice", "bob"))))
                .containsExactly("name", "kind", "members");
    }

    @Test
    void userList() throws Exception {
        assertThat(jsonKeys(UserCommand.LISTING, new UserAccount("alice", "admin", T))).containsExactly("name", "role", "created");
    }

    @Test
    void phonebookList() throws Exception {
        assertThat(jsonKeys(PhonebookCommand.LISTING, new Contact(7, "Jane", "ACME", "+15550100", true)))
                .containsExactly("id", "name", "company", "fax", "shared");
    }

    @Test
    void routerList() throws Exception {
        Route r = new Route(3, 1, new Route.Match("+15550100", null, null, null, null), "Sales", T, "bob");
        assertThat(jsonKeys(RouterCommand.LISTING, r))
                .containsExactly("id", "position", "did", "subaddress", "csid", "caller", "line", "mailbox", "forward");
    }

    @Test
    void inboxList() throws Exception {
        InboxFax f = new InboxFax(9, T, "trunk", "+15550199", "+15550100", "ACME FAX", "", "", 2, 0, 61_000, "OK", 4096, "ab", "alice", false);
        assertThat(jsonKeys(InboxCommand.LISTING, f)).containsExactly("id", "received", "mailbox", "caller", "csid", "did", "subaddress",
                "line", "pages", "bad_lines", "duration_ms", "result", "size", "sha256", "read");
    }

    @Test
    void jobListAndTheJobsCoverFieldsInOneOrder() throws Exception {
        Map<String, String> fields = new HashMap<>();
        for (String name : List.of("urgent", "to_company", "comment", "to", "from", "subject", "attention")) fields.put(name, "x");
        // Map.copyOf, as the SDK builds it: its iteration order is salted per JVM start.
        Job j = new Job(12, "alice", "c0ffee", "+15550100", "queued", "Hello", "standard", "fine", null, T, T, null, List.of("ab"), 5, 0,
                List.of("letter.pdf"), Map.copyOf(fields));

        assertThat(jsonKeys(JobsCommand.LISTING, j)).containsExactly("id", "owner", "submitter", "to", "state", "subject", "cover", "resolution",
                "priority", "at", "attempts", "created", "updated", "reason", "submission", "names", "documents", "fields");
        JsonNode printed = JSON.readTree(JobsCommand.LISTING.render(List.of(j), true)).get(0).get("fields");
        List<String> fieldOrder = new ArrayList<>();
        printed.fieldNames().forEachRemaining(fieldOrder::add);
        assertThat(fieldOrder).containsExactly("attention", "comment", "from", "subject", "to", "to_company", "urgent");
    }

    @Test
    void apiKeyListNeverPrintsASecret() throws Exception {
        // A listed key has no secret; were one set, neither the table nor --json may show it.
        ApiKey k = new ApiKey(3, "nightly export", "alice", "fxk_0123456789abcdef", java.time.Instant.ofEpochMilli(T), null,
                "fxk_0123456789abcdef_secret-secret-secret-secret-secret-secret-sec");
        assertThat(jsonKeys(ApiKeyCommand.LISTING, k)).containsExactly("id", "label", "user", "prefix", "created", "last_used");
        assertThat(ApiKeyCommand.LISTING.render(List.of(k), true) + ApiKeyCommand.LISTING.render(List.of(k), false)).doesNotContain("secret")
                .contains("fxk_0123456789abcdef");
        assertThat(ApiKeyCommand.LISTING.render(List.of(), false)).isEqualTo("no API keys\n");
    }

    @Test
    void savedAndFoundServers() throws Exception {
        assertThat(jsonKeys(ServersCommand.SAVED, new SavedServers.Entry("fax.example", 4644, FINGERPRINT, "Office")))
                .containsExactly("address", "name", "fingerprint", "cluster");
        ServerFinder.Found found = new ServerFinder.Found(new InetSocketAddress("192.0.2.7", 4644),
                new Discovery.Reply(1, "Office", 4644, "0.1.0", FINGERPRINT));
        assertThat(jsonKeys(ServersCommand.FOUND, found)).containsExactly("name", "address", "port", "version", "fingerprint");
    }

    @Test
    void aClustersSavedNodesAreListedTogether() {
        var a = new SavedServers.Entry("10.0.0.1", 4644, FINGERPRINT, "a", "10.0.0.1:4644");
        var desk = new SavedServers.Entry("desk", 4644, FINGERPRINT, "desk");
        var b = new SavedServers.Entry("10.0.0.2", 4644, FINGERPRINT, "b", "10.0.0.1:4644");
        var other = new SavedServers.Entry("other", 4644, FINGERPRINT, "");
        assertThat(ServersCommand.grouped(List.of(a, desk, b, other))).containsExactly(a, b, desk, other);
        assertThat(ServersCommand.SAVED.render(List.of(a, desk), false)).contains("CLUSTER").contains("10.0.0.1:4644");
    }

    @Test
    void anEmptyListIsAnEmptyJsonArrayOrTheCommandsSentence() throws Exception {
        assertThat(keys(PhonebookCommand.LISTING.render(List.of(), true))).isEmpty();
        assertThat(PhonebookCommand.LISTING.render(List.of(), false)).isEqualTo("the phonebook is empty\n");
        assertThat(CoverCommand.LISTING.render(List.of(), false)).isEqualTo("NAME  KIND\n");
    }

    @Test
    void tableColumnsAreAsWideAsTheirWidestCell() {
        String table = CoverCommand.LISTING.render(List.of(new FaxlanClient.CoverInfo("standard", "built-in"),
                new FaxlanClient.CoverInfo("mine", "own")), false);

        assertThat(table).isEqualTo("NAME      KIND\nstandard  built-in\nmine      own\n");
    }

    @Test
    void aRowWithTheWrongNumberOfCellsIsAProgrammingError() {
        Listing<String> broken = Listing.of(List.of("A", "B"), s -> List.of(s), s -> Json.object("a", s));

        assertThatThrownBy(() -> broken.render(List.of("x"), false)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("1 cells for 2 columns");
    }
}
