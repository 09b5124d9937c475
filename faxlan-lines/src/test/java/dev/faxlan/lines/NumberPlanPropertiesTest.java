package dev.faxlan.lines;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Number normalisation over arbitrary input, in several countries' plans. */
class NumberPlanPropertiesTest {
    static final List<NumberPlan> PLANS = List.of(
            NumberPlan.forCountry("49").withAreaCode("30"),
            NumberPlan.forCountry("1").withAreaCode("212"),
            NumberPlan.forCountry("44"),
            NumberPlan.forCountry("39").withPrefixes("", "00"),
            NumberPlan.forCountry("353").withShortMax(4),
            NumberPlan.forCountry("33").withShortMax(0),
            NumberPlan.forCountry(""));

    @Provide
    Arbitrary<NumberPlan> plans() {
        return Arbitraries.of(PLANS);
    }

    /** Anything a person might type, including rubbish. */
    @Provide
    Arbitrary<String> typed() {
        return Arbitraries.strings().withChars("0000123456789+ -().x/#").ofMaxLength(24);
    }

    /** Valid E.164 numbers: a real country code and a national number not starting with 0. */
    @Provide
    Arbitrary<String> e164() {
        Arbitrary<String> cc = Arbitraries.of("1", "7", "20", "33", "39", "44", "49", "353", "290", "998");
        return cc.flatMap(c -> Combinators.combine(Arbitraries.integers().between(1, 9),
                Arbitraries.strings().numeric().ofMinLength(6).ofMaxLength(14 - c.length()))
                .as((first, rest) -> "+" + c + first + rest));
    }

    @Property(tries = 2000)
    void normaliseOnlyThrowsIllegalArgumentAndIsIdempotent(@ForAll("plans") NumberPlan plan, @ForAll("typed") String input) {
        String once;
        try {
            once = plan.normalise(input);
        } catch (IllegalArgumentException rejected) {
            assertThat(rejected.getMessage()).isNotBlank();
            return;
        }
        assertThat(NumberPlan.isE164(once) || plan.isShort(once)).as("%s -> %s", input, once).isTrue();
        assertThat(plan.normalise(once)).isEqualTo(once);
    }

    @Property(tries = 1000)
    void e164IsAFixedPointAndTheE164DialStringOfItself(@ForAll("plans") NumberPlan plan, @ForAll("e164") String number) {
        assertThat(plan.normalise(number)).isEqualTo(number);
        assertThat(plan.withDial("e164").dialString(plan.normalise(number))).isEqualTo(number);
    }

    @Property(tries = 1000)
    void theNationalDialStringNormalisesBack(@ForAll("plans") NumberPlan plan, @ForAll("e164") String number) {
        NumberPlan national = plan.withDial("national");
        if (plan.countryCode().isEmpty()) {
            // Without a country code every number is foreign: international prefix and digits.
            assertThat(national.dialString(number)).isEqualTo("00" + number.substring(1));
        }
        assertThat(national.normalise(national.dialString(number))).isEqualTo(number);
    }

    @Property(tries = 500)
    void theTrunkPrefixIsPutBeforeTheNationalForm(@ForAll("plans") NumberPlan plan, @ForAll("e164") String number) {
        String dialled = plan.withDial("prefix:9").dialString(number);
        assertThat(dialled).startsWith("9");
        assertThat(plan.normalise(dialled.substring(1))).isEqualTo(number);
    }

    @Property(tries = 1000)
    void separatorsAndPrefixFormsNormaliseToTheSameNumber(@ForAll("plans") NumberPlan plan, @ForAll("e164") String number,
            @ForAll("separators") List<String> separators, @ForAll boolean withPrefix) {
        String digits = number.substring(1);
        StringBuilder typed = new StringBuilder(withPrefix ? plan.internationalPrefix() + " " : "+");
        for (int i = 0; i < digits.length(); i++) {
            typed.append(digits.charAt(i)).append(separators.get(i % separators.size()));
        }
        assertThat(plan.normalise(typed.toString())).as(typed.toString()).isEqualTo(number);
    }

    @Provide
    Arbitrary<List<String>> separators() {
        return Arbitraries.of("", "", "", " ", "-", ".", "/", "  ").list().ofMinSize(1).ofMaxSize(8);
    }
}
