package dev.faxlan.lines;

import dev.faxlan.engine.fax.FaxOptions;
import dev.faxlan.engine.fax.OutgoingPages;
import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.lines.sip.SipEndpoint;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A running fax line: its configuration and the SIP user agent that carries its calls. Its channels
 * count calls in both directions.
 */
public final class Line implements AutoCloseable {
    private final LineConfig config;
    private final SipEndpoint endpoint;
    private final SipEndpoint caller;
    private final String dialDomain;

    /**
     * @param endpoint the user agent that registers and answers
     * @param caller the user agent that places calls: the same one on a trunk; on the loopback line a
     *     second one, so a call to ourselves is a real dialog between two user agents
     * @param dialDomain host[:port] dialled numbers are addressed to: the trunk's domain, or the answering user agent for loopback
     */
    Line(LineConfig config, SipEndpoint endpoint, SipEndpoint caller, String dialDomain) {
        this.config = config;
        this.endpoint = endpoint;
        this.caller = caller;
        this.dialDomain = dialDomain;
    }

    public String name() {
        return config.name();
    }

    public LineConfig config() {
        return config;
    }

    /** Our fax number on this line (TSI when sending, CSI when receiving). */
    public String number() {
        return config.number();
    }

    /** Channels free for an outbound call (on a trunk, inbound calls use the same channels). */
    public int freeChannels() {
        if (!config.isLoopback()) return Math.max(0, config.channels() - caller.activeCalls());
        return freeLoopbackChannels(config.channels(), caller.activeCalls(), caller.unansweredCalls(), endpoint.activeCalls());
    }

    /**
     * The loopback line's free channels: those its answering side will have once every call placed has
     * reached it. The answering side may still hold calls their calling side has ended (until their BYE
     * is handled), and calls placed but not answered yet may not have reached it: both count, or a
     * burst of calls would be refused as busy there and wait for a retry with an attempt counted. A call
     * answered just now may count twice for a moment, which delays a call, never refuses one.
     *
     * @param placed calls the calling side holds
     * @param unanswered of those, the ones not answered yet
     * @param answering calls the answering side holds
     */
    static int freeLoopbackChannels(int channels, int placed, int unanswered, int answering) {
        return Math.max(0, channels - Math.max(placed, answering + unanswered));
    }

    /** Channels free for an inbound call. */
    int freeInboundChannels() {
        return Math.max(0, config.channels() - endpoint.activeCalls());
    }

    public SipEndpoint endpoint() {
        return endpoint;
    }

    public String registrationState() {
        return endpoint.registrationState();
    }

    /**
     * Sends {@code pages} to {@code number} (as typed or normalised) on a free channel. Options
     * without an identity get this line's number as TSI.
     *
     * @throws NoFreeChannelException when every channel is in use; a scheduler asks {@link #freeChannels()} first
     * @throws IllegalArgumentException when the number cannot be dialled
     */
    public CompletableFuture<CallResult> send(String number, List<BilevelPage> pages, FaxOptions options) {
        return send(number, pages, options, e -> {});
    }

    /**
     * As {@link #send(String, List, FaxOptions)}, with the fax's progress (on the calls' thread: return at once).
     * A {@code progress} that is also an {@link dev.faxlan.engine.fax.EndOfFax} hears the receiver's
     * confirmation of the last page before the call's DCN, off the calls' threads (T.38 calls; in G.711 audio
     * the end is known from the result alone).
     */
    public CompletableFuture<CallResult> send(String number, List<BilevelPage> pages, FaxOptions options,
            java.util.function.Consumer<dev.faxlan.engine.fax.FaxEvent> progress) {
        return send(number, OutgoingPages.of(pages), options, progress);
    }

    /**
     * As {@link #send(String, List, FaxOptions, java.util.function.Consumer)}, with pages the call reads
     * one at a time as it codes them (a long fax from a file), under the number's route policy or the line's. The caller keeps {@code pages} open until
     * the returned future completes.
     */
    public CompletableFuture<CallResult> send(String number, OutgoingPages pages, FaxOptions options,
            java.util.function.Consumer<dev.faxlan.engine.fax.FaxEvent> progress) {
        return send(number, pages, options, progress, config.policyFor(number));
    }

    /**
     * As {@link #send(String, OutgoingPages, FaxOptions, java.util.function.Consumer)}, under {@code policy}
     * instead of the line's (a route's policy, or the line's reordered by what is known of the number).
     */
    public CompletableFuture<CallResult> send(String number, OutgoingPages pages, FaxOptions options,
            java.util.function.Consumer<dev.faxlan.engine.fax.FaxEvent> progress, MediaPolicy policy) {
        return send(number, pages, options, progress, policy, null);
    }

    /**
     * As {@link #send(String, OutgoingPages, FaxOptions, java.util.function.Consumer, MediaPolicy)}, each
     * call's SIP Call-ID beginning with {@code callTag} (letters and digits, at most 40; null: the stack's
     * own): a receiver of ours records the Call-ID with the fax, so the attempt can be recognised there.
     */
    public synchronized CompletableFuture<CallResult> send(String number, OutgoingPages pages, FaxOptions options,
            java.util.function.Consumer<dev.faxlan.engine.fax.FaxEvent> progress, MediaPolicy policy, String callTag) {
        if (freeChannels() == 0) throw new NoFreeChannelException("all " + config.channels() + " channels of line " + name() + " are in use");
        // The loopback line answers its numbers as normalised (a DID written +1..., dialled as a local 555-0100).
        String n = config.numberPlan().normalise(number);
        String dial = config.isLoopback() ? n : config.numberPlan().dialString(n);
        FaxOptions o = options.ident() == null || options.ident().isBlank() ? withIdent(options, number()) : options;
        // g711-then-t38 upgrades an audio call to T.38 by re-INVITE only where the route or line asks for
        // it; when the number's memory turned t38-then-g711 round (T.38 failed to it), the audio call
        // stays audio, and T.38 is left for a second call should the audio fail.
        boolean upgrade = config.policyFor(number) == MediaPolicy.G711_THEN_T38;
        return caller.send(dial, dialDomain, pages, o, progress, policy, upgrade, callTag);
    }

    static FaxOptions withIdent(FaxOptions o, String ident) {
        return new FaxOptions(ident, o.subaddress(), o.fastestModem(), o.ecm(), o.codings(), o.senderId());
    }

    @Override
    public void close() {
        if (caller != endpoint) caller.close();
        endpoint.close();
    }
}
