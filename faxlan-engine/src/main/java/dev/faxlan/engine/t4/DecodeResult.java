package dev.faxlan.engine.t4;

import dev.faxlan.engine.image.BilevelPage;
import java.util.Objects;

/**
 * A decoded page and how damaged its coded data was.
 *
 * @param page the page; damaged rows were replaced as a fax machine does (see {@link T4Decoder})
 * @param badLineCount rows that could not be decoded and were replaced
 * @param maxConsecutiveBadLines longest run of consecutive replaced rows (TIFF tag
 *     ConsecutiveBadFaxLines)
 */
public record DecodeResult(BilevelPage page, int badLineCount, int maxConsecutiveBadLines) {

    public DecodeResult {
        Objects.requireNonNull(page, "page");
        if (badLineCount < 0 || maxConsecutiveBadLines < 0 || maxConsecutiveBadLines > badLineCount) {
            throw new IllegalArgumentException(
                    "bad line counts " + badLineCount + "/" + maxConsecutiveBadLines + " inconsistent");
        }
    }

    /** True if every row decoded cleanly (TIFF CleanFaxData 0). */
    public boolean clean() {
        return badLineCount == 0;
    }
}
