package io.domainoperator.reconciler;

import io.domainoperator.hypervisor.MigrationProgress;
import java.time.Instant;
import java.util.Objects;

/**
 * When an outgoing copy last made progress, as the source agent watched it. Progress is a new low of the bytes left to
 * send (QEMU sends pages the guest dirtied again, so the remainder rises between passes; a copy that never gets below
 * its best does not converge), or, where the hypervisor reports no remainder, more bytes sent. A copy whose backend
 * reports neither figure (xl's migrate process) is never judged stalled: only its completion deadline applies.
 * The watch lives in the agent's memory: an agent restarted mid-copy starts watching again, so a stall is judged by
 * what one agent saw, never by a guess across a restart.
 *
 * @param lowestRemaining the lowest remainder seen, or {@link MigrationProgress#UNKNOWN}
 * @param sent            the bytes sent when last seen, or {@link MigrationProgress#UNKNOWN}
 * @param lastProgress    when the copy last made progress (or when watching began, or when no figure was given)
 */
public record CopyWatch(long lowestRemaining, long sent, Instant lastProgress) {
    public CopyWatch {
        Objects.requireNonNull(lastProgress, "lastProgress");
    }

    /** The watch after the copy was seen as {@code p} at {@code now}; {@code previous} is null when watching begins. */
    public static CopyWatch next(CopyWatch previous, MigrationProgress p, Instant now) {
        long remaining = p.remainingBytes();
        long sent = p.sentBytes();
        if (previous == null || (remaining == MigrationProgress.UNKNOWN && sent == MigrationProgress.UNKNOWN)) {
            return new CopyWatch(remaining, sent, now);
        }
        boolean progressed = remaining != MigrationProgress.UNKNOWN
            ? previous.lowestRemaining == MigrationProgress.UNKNOWN || remaining < previous.lowestRemaining
            : previous.sent == MigrationProgress.UNKNOWN || sent > previous.sent;
        long lowest = remaining == MigrationProgress.UNKNOWN ? previous.lowestRemaining
            : previous.lowestRemaining == MigrationProgress.UNKNOWN ? remaining : Math.min(remaining, previous.lowestRemaining);
        return new CopyWatch(lowest, sent, progressed ? now : previous.lastProgress);
    }
}
