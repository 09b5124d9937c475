package dev.faxlan.server.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.server.storage.Routes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouterTest {
    static final Router.Call CALL = new Router.Call("+4930222222", "17", "ACME Corp", "+4930111111", "trunk1");

    private final List<Routes.Route> rules = new ArrayList<>();

    private void rule(String mailbox, String did, String sub, String csid, String caller, String line) {
        rules.add(new Routes.Route(rules.size() + 1, rules.size() + 1, new Routes.Match(did, sub, csid, caller, line), 0, mailbox, 0));
    }

    private String route(Router.Call call) {
        return Router.mailboxFor(rules, call);
    }

    @Test
    void aDidRuleMatchesTheCalledNumberExactlyOrByPrefix() {
        rule("exact", "+4930222223", null, null, null, null);
        rule("prefix", "+493022*", null, null, null, null);
        assertThat(route(CALL)).isEqualTo("prefix");
        assertThat(route(new Router.Call("+4930222223", "", "", "", ""))).isEqualTo("exact");
        assertThat(route(new Router.Call("+4940", "", "", "", ""))).isEqualTo("Unaddressed");
    }

    @Test
    void aSubaddressRuleMatchesTheSubaddress() {
        rule("sales", null, "18", null, null, null);
        rule("support", null, "17", null, null, null);
        assertThat(route(CALL)).isEqualTo("support");
    }

    @Test
    void aCsidRuleMatchesTheRemoteIdentification() {
        rule("other", null, null, "ACME", null, null);
        rule("acme", null, null, "ACME*", null, null);
        assertThat(route(CALL)).isEqualTo("acme");
    }

    @Test
    void aCallerRuleMatchesTheCallingNumber() {
        rule("berlin", null, null, null, "+4930*", null);
        assertThat(route(CALL)).isEqualTo("berlin");
        assertThat(route(new Router.Call("", "", "", "+4989123", ""))).isEqualTo("Unaddressed");
    }

    @Test
    void aLineRuleMatchesTheLine() {
        rule("loop", null, null, null, null, "loopback");
        rule("trunk", null, null, null, null, "trunk1");
        assertThat(route(CALL)).isEqualTo("trunk");
    }

    @Test
    void everyGivenFieldMustMatch() {
        rule("both", "+4930222222", "99", null, null, null);
        assertThat(route(CALL)).isEqualTo("Unaddressed");
        rule("all", "+4930222222", "17", "ACME Corp", "+4930111111", "trunk1");
        assertThat(route(CALL)).isEqualTo("all");
    }

    @Test
    void theFirstMatchingRuleWins() {
        rule("first", null, null, null, null, "trunk1");
        rule("second", "+4930222222", null, null, null, null);
        rule("catch-all", null, null, null, null, null);
        assertThat(route(CALL)).isEqualTo("first");
        assertThat(Router.firstMatch(rules, CALL).orElseThrow().position()).isEqualTo(1);
        assertThat(route(new Router.Call("1", "", "", "", ""))).isEqualTo("catch-all");
    }

    @Test
    void withoutRulesOrMatchesFaxesAreUnaddressed() {
        assertThat(route(CALL)).isEqualTo("Unaddressed");
        rule("sales", "100", null, null, null, null);
        assertThat(route(CALL)).isEqualTo("Unaddressed");
        assertThat(Router.firstMatch(rules, CALL)).isEmpty();
        // An absent value is empty: only a bare '*' or no pattern matches it.
        assertThat(route(new Router.Call(null, null, null, null, null))).isEqualTo("Unaddressed");
        assertThat(Router.field("*", "")).isTrue();
    }

    @Test
    void patternsAreChecked() {
        assertThat(Router.invalidPattern(null)).isNull();
        assertThat(Router.invalidPattern("12*")).isNull();
        assertThat(Router.invalidPattern("1*2")).contains("only at its end");
        assertThat(Router.invalidPattern("")).contains("empty");
        assertThat(Router.invalidPattern("1".repeat(65))).contains("64");
    }

    @Test
    void aContentRuleMatchesWhenPage1HasAllItsWordsInAnyCase() {
        rules.add(new Routes.Route(1, 1, new Routes.Match("+4930222222", null, null, null, null, "Order-No 4711"), 0, "orders", 0));
        Router.Call read = new Router.Call("+4930222222", "", "", "", "", java.util.Set.of("purchase", "order", "no", "4711", "leeds"));
        assertThat(route(read)).isEqualTo("orders");
        assertThat(route(new Router.Call("+4930222222", "", "", "", "", java.util.Set.of("order", "4712")))).isEqualTo("Unaddressed");
        // Page 1 not read (no tesseract): a rule on content never matches.
        assertThat(route(new Router.Call("+4930222222", "", "", "", ""))).isEqualTo("Unaddressed");
        // And the call's own fields still count.
        assertThat(route(new Router.Call("+4940", "", "", "", "", java.util.Set.of("order", "no", "4711")))).isEqualTo("Unaddressed");
        assertThat(Router.invalidContent("order 4711")).isNull();
        assertThat(Router.invalidContent(" -- ")).contains("no words");
        assertThat(Router.invalidContent("x".repeat(256))).contains("255");
    }
}
