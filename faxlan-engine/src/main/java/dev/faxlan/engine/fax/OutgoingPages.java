package dev.faxlan.engine.fax;

import dev.faxlan.engine.image.BilevelPage;
import java.io.IOException;
import java.util.List;

/**
 * The pages of a fax to send, handed to the session one at a time: a sender needs only the page it
 * is coding (ECM keeps that page's coded frames), so a long fax can come from a file without all
 * its pages in memory. Count, width and resolution are known before any page is read: they go into
 * the DCS.
 */
public interface OutgoingPages {

    /** Pages to send, at least 1. */
    int count();

    /** Pels per row of every page: 1728, 2048 or 2432. */
    int width();

    /** Vertical resolution of every page in dots per inch. */
    int yRes();

    /**
     * Page {@code index} (0-based); may be called again for the same page (a page the receiver
     * rejected is sent again). Called for one page at a time, on the thread that does the call's page
     * work: a {@link CallScheduler}'s worker, or the thread that drives a session alone.
     *
     * @throws IOException if the page cannot be read; the call then ends with {@link FaxResult#PAGE_NOT_READ}
     */
    BilevelPage page(int index) throws IOException;

    /** Pages already in memory. */
    static OutgoingPages of(List<BilevelPage> pages) {
        List<BilevelPage> copy = List.copyOf(pages);
        if (copy.isEmpty()) throw new IllegalArgumentException("nothing to send: no pages");
        for (BilevelPage p : copy) {
            if (p.width() != copy.get(0).width()) throw new IllegalArgumentException("all pages of a call must have one width");
            if (p.yRes() != copy.get(0).yRes()) throw new IllegalArgumentException("all pages of a call must have one resolution");
        }
        return new OutgoingPages() {
            public int count() {
                return copy.size();
            }

            public int width() {
                return copy.get(0).width();
            }

            public int yRes() {
                return copy.get(0).yRes();
            }

            public BilevelPage page(int index) {
                return copy.get(index);
            }
        };
    }
}
