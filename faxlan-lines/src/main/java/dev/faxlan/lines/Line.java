package dev.faxlan.lines;

import dev.faxlan.engine.fax.FaxOptions;
import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.lines.sip.SipEndpoint;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.UnaryOperator;

/**
 * A fax line: one SIP user agent with its channels (concurrent calls, in and out together), its own
 * fax number (sent as TSI/CSI), the numbers it answers, and how numbers are dialled on it.
 */
public final class Line implements AutoCloseable {
    private final String name;
    private final SipEndpoint endpoint;
    private final String number;
    private final Set<String> answers;
    private final String dialDomain;
    private final UnaryOperator<String> dialString;
    private final Semaphore channels;
    private final int channelCount;

    /**
     * @param answers called numbers this line takes; empty means every number
     * @param dialDomain host[:port] dialled numbers are addressed to (the trunk's domain, or our own address for loopback)
     * @param dialString turns a normalised number into what goes in the request-URI
     */
    Line(String name, SipEndpoint endpoint, String number, Set<String> answers, String dialDomain, UnaryOperator<String> dialString, Semaphore channels,
            int channelCount) {
        this.name = name;
        this.endpoint = endpoint;
        this.number = number;
        this.answers = Set.copyOf(answers);
        this.dialDomain = dialDomain;
        this.dialString = dialString;
        this.channels = channels;
        this.channelCount = channelCount;
    }

    public String name() {
        return name;
    }

    /** Our fax number on this line (TSI when sending, CSI when receiving). */
    public String number() {
        return number;
    }

    public int channels() {
        return channelCount;
    }

    public int freeChannels() {
        return channels.availablePermits();
    }

    public SipEndpoint endpoint() {
        return endpoint;
    }

    public String registrationState() {
        return endpoint.registrationState();
    }

    boolean answers(String called) {
        return answers.isEmpty() || answers.contains(called);
    }

    /**
     * Sends {@code pages} to {@code number} (normalised) on a free channel. The options' identity is
     * replaced by this line's number when it has none.
     *
     * @throws IllegalStateException when every channel is in use; a scheduler asks {@link #freeChannels()} first
     */
    public CompletableFuture<CallResult> send(String number, List<BilevelPage> pages, FaxOptions options) {
        if (!channels.tryAcquire()) throw new IllegalStateException("all " + channelCount + " channels of line " + name + " are in use");
        FaxOptions o = options.ident() == null || options.ident().isBlank() ? withIdent(options, this.number) : options;
        try {
            return endpoint.send(dialString.apply(number), dialDomain, pages, o).whenComplete((r, e) -> channels.release());
        } catch (RuntimeException e) {
            channels.release();
            throw e;
        }
    }

    static FaxOptions withIdent(FaxOptions o, String ident) {
        return new FaxOptions(ident, o.subaddress(), o.fastestModem(), o.ecm(), o.codings(), o.senderId());
    }

    @Override
    public void close() {
        endpoint.close();
    }
}
