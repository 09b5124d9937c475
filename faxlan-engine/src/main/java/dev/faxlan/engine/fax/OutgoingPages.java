package dev.faxlan.engine.fax;

import dev.faxlan.engine.image.BilevelPage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The pages of a fax to send, handed to the session one at a time: a sender needs only the page it
 * is coding (ECM keeps that page's coded frames), so a long fax can come from a file without all
 * its pages in memory. Count, width and resolution are known before any page is read: they go into
 * the DCS.
 *
 * <p>A call may carry several documents (T.30 EOM): each document's pages share one width and
 * resolution, and each document after the first starts with a new phase B, so its DCS may say
 * another width or resolution.
 */
public interface OutgoingPages {

    /** Pages to send, at least 1. */
    int count();

    /** Pels per row of the first document's pages: 1728, 2048 or 2432. */
    int width();

    /** Vertical resolution of the first document's pages in dots per inch. */
    int yRes();

    /** Pels per row of page {@code index} (its document's width). */
    default int width(int index) {
        return width();
    }

    /** Vertical resolution of page {@code index} (its document's) in dots per inch. */
    default int yRes(int index) {
        return yRes();
    }

    /**
     * Whether page {@code index} (1 or more) begins a new document: the page before it ends with EOM
     * and the call returns to phase B. True wherever the width or resolution changes.
     */
    default boolean startsDocument(int index) {
        return index > 0 && index < count() && (width(index) != width(index - 1) || yRes(index) != yRes(index - 1));
    }

    /**
     * Page {@code index} (0-based); may be called again for the same page (a page the receiver
     * rejected is sent again). Called for one page at a time, on the thread that does the call's page
     * work: a {@link CallScheduler}'s worker, or the thread that drives a session alone.
     *
     * @throws IOException if the page cannot be read; the call then ends with {@link FaxResult#PAGE_NOT_READ}
     */
    BilevelPage page(int index) throws IOException;

    /**
     * Documents already in memory, sent in one call with EOM between them; each document's pages have
     * one width and resolution, which may differ from the other documents'.
     */
    static OutgoingPages documents(List<List<BilevelPage>> documents) {
        List<BilevelPage> all = new ArrayList<>();
        Set<Integer> starts = new HashSet<>();
        for (List<BilevelPage> d : documents) {
            if (d.isEmpty()) throw new IllegalArgumentException("a document with no pages");
            for (BilevelPage p : d) {
                if (p.width() != d.get(0).width() || p.yRes() != d.get(0).yRes()) {
                    throw new IllegalArgumentException("all pages of a document must have one width and resolution");
                }
            }
            starts.add(all.size());
            all.addAll(d);
        }
        if (all.isEmpty()) throw new IllegalArgumentException("nothing to send: no pages");
        List<BilevelPage> copy = List.copyOf(all);
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

            public int width(int index) {
                return copy.get(index).width();
            }

            public int yRes(int index) {
                return copy.get(index).yRes();
            }

            public boolean startsDocument(int index) {
                return index > 0 && starts.contains(index);
            }

            public BilevelPage page(int index) {
                return copy.get(index);
            }
        };
    }

    /** Pages already in memory, one document. */
    static OutgoingPages of(List<BilevelPage> pages) {
        return documents(List.of(pages));
    }
}
