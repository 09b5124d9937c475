package dev.faxlan.lines;

import java.util.Map;
import java.util.Set;

/**
 * The number plan settings, the same under {@code numbers.} for the whole server and under
 * {@code line.<name>.} for one line: {@code country-code}, {@code national-prefix},
 * {@code international-prefix}, {@code area-code}, {@code national-length}, {@code short-max}, and
 * for a line also {@code dial}.
 */
final class NumberPlanSettings {
    static final Set<String> KEYS = Set.of("country-code", "national-prefix", "international-prefix", "area-code", "national-length",
            "short-max");

    private final SettingsReader reader;

    NumberPlanSettings(SettingsReader reader) {
        this.reader = reader;
    }

    /**
     * The number plan under {@code prefix}. A country code given there starts from that
     * country's usual plan; without one, the settings refine {@code inherited}.
     *
     * @param k the settings under {@code prefix}, without it
     * @param withDial whether {@code dial} is read (a line's plan has it, the server's does not)
     */
    NumberPlan read(Map<String, String> k, String prefix, NumberPlan inherited, boolean withDial) {
        NumberPlan plan = inherited;
        String cc = k.get("country-code");
        if (cc != null) {
            if (!cc.matches("[1-9][0-9]{0,2}")) reader.problem(prefix + "country-code", cc, "a country code is 1 to 3 digits, e.g. 1, 44 or 49");
            else plan = NumberPlan.forCountry(cc);
        }
        String national = k.get("national-prefix");
        String international = k.get("international-prefix");
        if (national != null || international != null) {
            try {
                plan = plan.withPrefixes(national != null ? national : plan.nationalPrefix(),
                        international != null ? international : plan.internationalPrefix());
            } catch (IllegalArgumentException e) {
                String key = international == null ? "national-prefix" : national == null ? "international-prefix" : null;
                if (key != null) reader.problem(prefix + key, k.get(key), e.getMessage());
                else reader.problem(prefix + "national-prefix=" + national + ", " + prefix + "international-prefix=" + international
                        + ": " + e.getMessage());
            }
        }
        String area = k.get("area-code");
        if (area != null) {
            try {
                plan = plan.withAreaCode(area);
            } catch (IllegalArgumentException e) {
                reader.problem(prefix + "area-code", area, e.getMessage());
            }
        }
        String length = k.get("national-length");
        if (length != null) {
            int l = reader.integer(prefix + "national-length", length, 0, 0, NumberPlan.MAX_E164_DIGITS);
            plan = plan.withNationalLength(l);
        }
        String shortMax = k.get("short-max");
        if (shortMax != null) {
            plan = plan.withShortMax(reader.integer(prefix + "short-max", shortMax, NumberPlan.DEFAULT_SHORT_MAX, 0, NumberPlan.MAX_SHORT_MAX));
        }
        String dial = k.get("dial");
        if (withDial && dial != null) {
            try {
                plan = plan.withDial(dial);
            } catch (IllegalArgumentException e) {
                reader.problem(prefix + "dial", dial, e.getMessage());
            }
        }
        return plan;
    }
}
