package dev.faxlan.sdk;

import dev.faxlan.protocol.message.JobMessage;
import java.util.Objects;

/**
 * One call attempt of a job, as the server recorded it. Times are epoch milliseconds.
 *
 * @param attempt from 1, as the job's attempts count
 * @param plan the media the attempt started with and why: the line's policy, or the number's media memory
 * @param media {@code t38} or {@code g711}, the media the call ended on; "" when the server did not say
 * @param mediaWhy why that media, naming what failed on a fallback ("G.711 after T.38 was refused (488 …)")
 * @param carrier the carrier trained after any step-down ("9,600 bit/s V.29, ECM"); "" when none trained
 * @param outcome {@code success}, {@code busy}, {@code no-answer}, {@code t30-failure}, …
 * @param reason the attempt's end as the job's reason said it
 */
public record JobCall(int attempt, long started, long ended, String line, String plan, String media, String mediaWhy, String carrier,
        String outcome, int pages, String reason) {
    static JobCall from(JobMessage.Call c) {
        return new JobCall((int) c.attempt(), c.started(), c.ended(), c.line(), c.plan(), Objects.requireNonNullElse(c.media(), ""), c.mediaWhy(),
                Objects.requireNonNullElse(c.carrier(), ""), c.outcome(), (int) c.pages(), c.reason());
    }

    /** The media as people read it: "T.38", "G.711", or "" when unknown. */
    public String mediaShown() {
        return switch (media) {
            case "t38" -> "T.38";
            case "g711" -> "G.711";
            default -> media;
        };
    }
}
