package dev.faxlan.server.service;

import java.time.Duration;

/**
 * Bounds on what one user's unfinished uploads may hold: each keeps a {@code .part} file in the
 * spool until it completes or, abandoned, is purged.
 *
 * @param maxUnfinishedUploads unfinished uploads a user may have at once
 * @param maxUnfinishedBytes announced bytes of a user's unfinished uploads together
 * @param partLifetime how long an unfinished upload may go without a byte arriving before it is purged
 */
public record UploadLimits(int maxUnfinishedUploads, long maxUnfinishedBytes, Duration partLifetime) {
    public static final UploadLimits DEFAULT = new UploadLimits(32, 1L << 30, Duration.ofHours(24));

    public UploadLimits {
        if (maxUnfinishedUploads < 1 || maxUnfinishedBytes < 1 || partLifetime.isNegative() || partLifetime.isZero()) {
            throw new IllegalArgumentException("upload limits must be positive: " + maxUnfinishedUploads + " uploads, " + maxUnfinishedBytes
                    + " bytes, " + partLifetime);
        }
    }
}
