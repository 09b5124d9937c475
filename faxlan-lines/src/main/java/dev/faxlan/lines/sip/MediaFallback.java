package dev.faxlan.lines.sip;

import dev.faxlan.engine.fax.FaxEvent;
import dev.faxlan.engine.fax.FaxOptions;
import dev.faxlan.engine.fax.OutgoingPages;
import dev.faxlan.lines.CallResult;
import dev.faxlan.lines.Media;
import dev.faxlan.lines.MediaPolicy;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt to send a fax under a media policy: a call offering the policy's first media only, and,
 * when the policy falls back and that call's media failed (refused with 488/606, or the fax failed
 * before page 1), a second call offering the other media only. Two plain calls rather than one offer
 * with both media: trunks that mishandle T.38 mishandle mixed offers worse, and each call's result then
 * says plainly which media it used.
 */
final class MediaFallback {
    private static final Logger log = LoggerFactory.getLogger(MediaFallback.class);

    private MediaFallback() {}

    /** The attempt's result: the last call's, saying which media it used and why. Cancelling it hangs up the call in progress. */
    static CompletableFuture<CallResult> send(SipEndpoint ep, String number, String domain, OutgoingPages pages, FaxOptions options,
            Consumer<FaxEvent> progress, MediaPolicy policy, boolean upgradeByReinvite, String callTag) {
        CompletableFuture<CallResult> attempt = new CompletableFuture<>();
        AtomicReference<CompletableFuture<CallResult>> current = new AtomicReference<>();
        attempt.whenComplete((r, e) -> {
            if (e instanceof CancellationException) {
                CompletableFuture<CallResult> c = current.get();
                if (c != null) c.cancel(true);
            }
        });
        Media first = policy.first();
        String firstWhy = first.shown() + " (policy " + policy.setting() + ")";
        // The first call's own policy: an audio call moves to T.38 by re-INVITE only under g711-then-t38 asked for.
        MediaPolicy firstCall = policy == MediaPolicy.G711_THEN_T38 && !upgradeByReinvite ? MediaPolicy.G711 : policy;
        CompletableFuture<CallResult> one = place(ep, number, domain, pages, options, progress, first, firstCall, current, attempt, callTag);
        one.whenComplete((r, e) -> {
            if (e != null) {
                attempt.completeExceptionally(e);
                return;
            }
            Optional<String> failed = policy.fallsBack() && !attempt.isDone() ? r.mediaFailure() : Optional.empty();
            // A g711-then-t38 call may have switched to T.38 by re-INVITE: then its result says so, and the other media is audio.
            Media used = r.media() != null ? r.media() : first;
            if (failed.isEmpty()) {
                attempt.complete(r.media() != null ? r : r.over(first, firstWhy));
                return;
            }
            Media second = used.other();
            String why = second.shown() + " after " + used.shown() + " " + failed.get() + " (policy " + policy.setting() + ")";
            log.info("{}: calling {} again in {}: {} {}", ep.settings.name(), number, second.shown(), used.shown(), failed.get());
            // The second call offers its media only and stays on it.
            MediaPolicy only = second == Media.G711 ? MediaPolicy.G711 : MediaPolicy.T38;
            CompletableFuture<CallResult> two = place(ep, number, domain, pages, options, progress, second, only, current, attempt, callTag);
            two.whenComplete((r2, e2) -> {
                if (e2 != null) attempt.completeExceptionally(e2);
                else attempt.complete(r2.over(second, why));
            });
        });
        return attempt;
    }

    private static CompletableFuture<CallResult> place(SipEndpoint ep, String number, String domain, OutgoingPages pages, FaxOptions options,
            Consumer<FaxEvent> progress, Media media, MediaPolicy policy, AtomicReference<CompletableFuture<CallResult>> current,
            CompletableFuture<CallResult> attempt, String callTag) {
        CompletableFuture<CallResult> call = OutboundCall.place(ep, number, domain, pages, options, progress, media, policy, callTag).result();
        current.set(call);
        // A hang-up that came while this call was being placed.
        if (attempt.isCancelled()) call.cancel(true);
        return call;
    }
}
