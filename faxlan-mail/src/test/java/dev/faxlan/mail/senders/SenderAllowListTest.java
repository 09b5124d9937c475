package dev.faxlan.mail.senders;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SenderAllowListTest {
    @Test
    void anAddressMapsToItsAccountAndADomainEntryCoversTheRest() {
        List<String> problems = new ArrayList<>();
        SenderAllowList list = SenderAllowList.parse("senders", List.of(
                "# sender            account",
                "alice@example.org   alice",
                "",
                "  *@branch.example.org branch  ",
                "boss@Branch.Example.org  carol"), problems);

        assertThat(problems).isEmpty();
        assertThat(list.size()).isEqualTo(3);
        assertThat(list.accountOf("alice@example.org")).contains("alice");
        assertThat(list.accountOf("Alice@EXAMPLE.org")).as("addresses compare without case").contains("alice");
        assertThat(list.accountOf("anyone@branch.example.org")).contains("branch");
        assertThat(list.accountOf("boss@branch.example.org")).as("an address's own entry wins over its domain's").contains("carol");
        assertThat(list.accountOf("bob@example.org")).isEmpty();
        assertThat(list.accountOf("x@sub.branch.example.org")).as("a domain entry is that domain only").isEmpty();
        assertThat(list.accountOf("alice@example.org.evil.test")).isEmpty();
        assertThat(list.accountOf("")).as("the null sender of a bounce").isEmpty();
    }

    @Test
    void everyBadLineIsListedWithItsNumber() {
        List<String> problems = new ArrayList<>();
        SenderAllowList list = SenderAllowList.parse("senders.file s.txt", List.of(
                "alice@example.org alice",
                "alice@example.org",
                "not-an-address bob",
                "*@bad_domain carol",
                "dave@example.org da ve",
                "erin@example.org erin!",
                "ALICE@example.org alice2",
                "\"a b\"@example.org frank"), problems);

        assertThat(list).isNull();
        assertThat(problems).containsExactly(
                "senders.file s.txt line 2: expected ADDRESS ACCOUNT, not 'alice@example.org'",
                "senders.file s.txt line 3: 'not-an-address' is not a mail address (name@domain, or *@domain for a whole domain)",
                "senders.file s.txt line 4: 'bad_domain' is not a domain name",
                "senders.file s.txt line 5: expected ADDRESS ACCOUNT, not 'dave@example.org da ve'",
                "senders.file s.txt line 6: 'erin!' is not a user name (1 to 64 of a-z A-Z 0-9 . _ @ -)",
                "senders.file s.txt line 7: ALICE@example.org is listed already on line 1",
                "senders.file s.txt line 8: expected ADDRESS ACCOUNT, not '\"a b\"@example.org frank'");
    }

    @Test
    void aFileWithoutEntriesIsAProblem() {
        List<String> problems = new ArrayList<>();
        assertThat(SenderAllowList.parse("senders.file s.txt", List.of("# nobody yet"), problems)).isNull();
        assertThat(problems).containsExactly("senders.file s.txt: lists no senders");
    }
}
