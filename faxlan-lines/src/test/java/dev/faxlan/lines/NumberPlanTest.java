package dev.faxlan.lines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faxlan.lines.NumberPlan.Dial;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class NumberPlanTest {
    static final NumberPlan BERLIN = NumberPlan.forCountry("49").withAreaCode("30");
    static final NumberPlan NEW_YORK = NumberPlan.forCountry("1").withAreaCode("212");
    static final NumberPlan LONDON = NumberPlan.forCountry("44").withAreaCode("20");

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "+49 30 1234567         | +49301234567",
        "+49 (0)30 123-45-67    | +49301234567",
        "0049 30 1234567        | +49301234567",
        "00 49 (0)30 1234567    | +49301234567",
        "030 / 123 45 67        | +49301234567",
        "(030) 1234567          | +49301234567",
        "1234567                | +49301234567",
        "089.12345678           | +498912345678",
        "0044 20 7946 0000      | +442079460000",
        "+1 (212) 555-0100      | +12125550100",
        "  +49301234567         | +49301234567",
        "0000                   | 0000",
        "12-34                  | 1234",
        "123456                 | 123456",
    })
    void normalisesGermanInput(String input, String expected) {
        assertThat(BERLIN.normalise(input)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1 212 555 0100          | +12125550100",
        "(212) 555-0100          | +12125550100",
        "555-0100                | +12125550100",
        "011 44 20 7946 0000     | +442079460000",
        "+44 20 7946 0000        | +442079460000",
        "1-800-555-0199          | +18005550199",
        "4711                    | 4711",
    })
    void normalisesNorthAmericanInput(String input, String expected) {
        assertThat(NEW_YORK.normalise(input)).isEqualTo(expected);
    }

    @Test
    void normalisesBritishInput() {
        assertThat(LONDON.normalise("020 7946 0000")).isEqualTo("+442079460000");
        assertThat(LONDON.normalise("+44 (0)20 7946 0000")).isEqualTo("+442079460000");
        assertThat(LONDON.normalise("7946 0000")).isEqualTo("+442079460000");
    }

    @Test
    void aCountryWithoutNationalPrefixTakesBareNumbersAsNational() {
        NumberPlan italy = NumberPlan.forCountry("39").withPrefixes("", "00");
        assertThat(italy.normalise("06 1234 5678")).isEqualTo("+390612345678");
        assertThat(italy.normalise("0049 30 1234567")).isEqualTo("+49301234567");
    }

    @Test
    void shortNumbersCanBeConfigured() {
        NumberPlan p = BERLIN.withShortMax(3);
        assertThat(p.normalise("123")).isEqualTo("123");
        assertThat(p.normalise("1234")).isEqualTo("+49301234");
        assertThat(p.isShort("123")).isTrue();
        assertThat(p.isShort("1234")).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0800-FAX-ME         | letters are not allowed",
        "+49 30 12345x       | letters are not allowed",
        "49#301234567        | '#' is not allowed",
        "030 1234+567        | '+' is not allowed except at the start",
        "++49301234567       | '+' is not allowed except at the start",
        "' - ( ) '           | it has no digits",
        "+49 30              | too short for a phone number: 4 digits",
        "+1234567890123456   | too long for a phone number: 16 digits",
        "0049 30 12345678901234 | too long",
        "+0301234567         | no country code starts with 0",
        "000301234567        | no country code starts with 0",
    })
    void rejectsWhatCannotBeANumberNamingTheInput(String input, String problem) {
        assertThatThrownBy(() -> BERLIN.normalise(input)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + input + "'").hasMessageContaining(problem);
    }

    @Test
    void rejectsEmptyInput() {
        assertThatThrownBy(() -> BERLIN.normalise("  ")).isInstanceOf(IllegalArgumentException.class).hasMessage("no fax number given");
        assertThatThrownBy(() -> BERLIN.normalise(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void localNumbersNeedAnAreaCode() {
        NumberPlan germany = NumberPlan.forCountry("49");
        assertThatThrownBy(() -> germany.normalise("1234567")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'1234567' is a local number, but no area code is configured: write it with the national prefix 0 "
                        + "and area code, or as +49...");
    }

    @Test
    void withoutCountryCodeOnlyInternationalNumbersAreUnderstood() {
        NumberPlan none = NumberPlan.forCountry("");
        assertThat(none.normalise("+49 30 1234567")).isEqualTo("+49301234567");
        assertThat(none.normalise("0049 30 1234567")).isEqualTo("+49301234567");
        assertThatThrownBy(() -> none.normalise("030 1234567")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'030 1234567' is a national number, but no country code is configured");
    }

    @Test
    void dialsE164AsItIs() {
        assertThat(BERLIN.dialString("+49301234567")).isEqualTo("+49301234567");
        assertThat(BERLIN.dialString("+442079460000")).isEqualTo("+442079460000");
    }

    @Test
    void dialsNationalForm() {
        NumberPlan p = BERLIN.withDial("national");
        assertThat(p.dial()).isEqualTo(Dial.NATIONAL);
        assertThat(p.dialString("+49301234567")).isEqualTo("0301234567");
        assertThat(p.dialString("+442079460000")).isEqualTo("00442079460000");
        NumberPlan us = NEW_YORK.withDial("NATIONAL");
        assertThat(us.dialString("+12125550100")).isEqualTo("12125550100");
        assertThat(us.dialString("+442079460000")).isEqualTo("011442079460000");
    }

    @Test
    void dialsWithATrunkPrefix() {
        NumberPlan p = BERLIN.withDial("prefix:9");
        assertThat(p.dial()).isEqualTo(Dial.PREFIX);
        assertThat(p.trunkPrefix()).isEqualTo("9");
        assertThat(p.dialString("+49301234567")).isEqualTo("90301234567");
        assertThat(p.dialString("+442079460000")).isEqualTo("900442079460000");
    }

    @Test
    void shortNumbersAreDialledAsTheyAre() {
        assertThat(BERLIN.withDial("prefix:9").dialString("0000")).isEqualTo("0000");
        assertThat(BERLIN.withDial("national").dialString("4711")).isEqualTo("4711");
    }

    @Test
    void dialStringRefusesWhatNormaliseCannotHaveReturned() {
        assertThatThrownBy(() -> BERLIN.dialString("030 1234567")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'030 1234567' is neither an E.164 number nor a short number");
        assertThatThrownBy(() -> BERLIN.dialString("1234567")).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "prefix:    | the trunk prefix in 'prefix:' must be digits, e.g. prefix:9",
        "prefix:9a  | the trunk prefix in 'prefix:9a' must be digits, e.g. prefix:9",
        "sip        | 'sip' is not a dial rule (e164, national or prefix:<digits>)",
    })
    void rejectsBadDialRules(String spec, String message) {
        assertThatThrownBy(() -> BERLIN.withDial(spec)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void rejectsInconsistentPlans() {
        assertThatThrownBy(() -> NumberPlan.forCountry("049")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot start with 0");
        assertThatThrownBy(() -> NumberPlan.forCountry("1234")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("country code '1234' must be up to 3 digits");
        assertThatThrownBy(() -> BERLIN.withPrefixes("00", "00")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("national and international prefix are both 00");
        assertThatThrownBy(() -> BERLIN.withShortMax(7)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("short number length 7 outside 0..6");
        assertThatThrownBy(() -> BERLIN.withAreaCode("3O")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("area code '3O' must be up to 6 digits");
    }

    @Test
    void recognisesE164() {
        assertThat(NumberPlan.isE164("+15550100")).isTrue();
        assertThat(NumberPlan.isE164("+123456789012345")).isTrue();
        assertThat(NumberPlan.isE164("+1234567890123456")).isFalse();
        assertThat(NumberPlan.isE164("+123456")).isFalse();
        assertThat(NumberPlan.isE164("+0123456789")).isFalse();
        assertThat(NumberPlan.isE164("15550100")).isFalse();
        assertThat(NumberPlan.isE164(null)).isFalse();
    }
}
