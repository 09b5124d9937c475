package dev.faxlan.lines;

import static dev.faxlan.lines.LinesConfigTest.TRUNK;
import static dev.faxlan.lines.LinesConfigTest.parse;
import static dev.faxlan.lines.LinesConfigTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code line.<name>.route-policy}: a media policy per route prefix, overriding the line's for outbound calls under it. */
class RoutePolicyTest {
    private static final String ROUTED = TRUNK + """
            numbers.country-code=49
            numbers.area-code=30
            line.trunk1.route=+49,+44
            line.trunk1.policy=t38-then-g711
            line.trunk1.route-policy=+49:g711, +4930:t38 ,+44:g711-then-t38
            """;

    @Test
    void theLongestCoveringPrefixDecidesElseTheLinesPolicy() {
        LineConfig t = parse(ROUTED).line("trunk1").orElseThrow();
        assertThat(t.policyFor("+4930123456")).isEqualTo(MediaPolicy.T38);
        assertThat(t.policyFor("+4940123456")).isEqualTo(MediaPolicy.G711);
        assertThat(t.policyFor("+442071234567")).isEqualTo(MediaPolicy.G711_THEN_T38);
        assertThat(t.routePolicyFor("+4930123456")).hasValueSatisfying(r -> assertThat(r).hasToString("+4930:t38"));
        // Numbers as people type them are normalised with the line's plan first: 1234567 is +49301234567 here.
        assertThat(t.policyFor("1234567")).isEqualTo(MediaPolicy.T38);
        assertThat(t.policyFor("040 123456")).isEqualTo(MediaPolicy.G711);
        assertThat(t.toString()).contains("routePolicies=[+49:g711, +4930:t38, +44:g711-then-t38]");
    }

    @Test
    void aNumberNoRoutePolicyCoversRunsUnderTheLinesPolicy() {
        LineConfig t = parse(TRUNK + """
                line.trunk1.policy=t38-then-g711
                line.trunk1.route-policy=+4930:g711
                """).line("trunk1").orElseThrow();
        assertThat(t.policyFor("+15550199")).isEqualTo(MediaPolicy.T38_THEN_G711);
        assertThat(t.policyFor("not a number")).isEqualTo(MediaPolicy.T38_THEN_G711);
        assertThat(parse(TRUNK).line("trunk1").orElseThrow().policyFor("+4930123456")).isEqualTo(MediaPolicy.T38);
    }

    @Test
    void badRoutePoliciesAreNamedWithTheirKey() {
        assertThat(problems(TRUNK + """
                line.trunk1.route=+49
                line.trunk1.route-policy=+4930:fast,4930:g711,+4930=g711,+44:g711,+4940:g711,+4940:t38
                """)).containsExactlyInAnyOrder(
                "line.trunk1.route-policy=+4930:fast,4930:g711,+4930=g711,+44:g711,+4940:g711,+4940:t38: '+4930:fast': unknown policy 'fast' "
                        + "(t38, g711, t38-then-g711 or g711-then-t38)",
                "line.trunk1.route-policy=+4930:fast,4930:g711,+4930=g711,+44:g711,+4940:g711,+4940:t38: '4930:g711' is not PREFIX:POLICY, "
                        + "e.g. +4930:g711",
                "line.trunk1.route-policy=+4930:fast,4930:g711,+4930=g711,+44:g711,+4940:g711,+4940:t38: '+4930=g711' is not PREFIX:POLICY, "
                        + "e.g. +4930:g711",
                "line.trunk1.route-policy=+4930:fast,4930:g711,+4930=g711,+44:g711,+4940:g711,+4940:t38: prefix +44 is outside this line's "
                        + "route (+49): the line never dials those numbers",
                "line.trunk1.route-policy=+4930:fast,4930:g711,+4930=g711,+44:g711,+4940:g711,+4940:t38: prefix +4940 is given twice");
        assertThat(problems("line.loopback.route-policy=+49:g711\n")).singleElement().asString().startsWith("line.loopback.route-policy=+49:g711: "
                + "unknown setting");
    }

    /** The line's own send (no dispatcher) honours the route too: a loopback-free check through Line would need a trunk, so the config decides. */
    @Test
    void aRoutePolicyDoesNotChangeTheLinesOwnPolicy() {
        LineConfig t = parse(ROUTED).line("trunk1").orElseThrow();
        assertThat(t.policy()).isEqualTo(MediaPolicy.T38_THEN_G711);
        assertThat(t.withPolicy(MediaPolicy.G711).routePolicies()).isEqualTo(t.routePolicies());
    }
}
