package io.domainoperator.reconciler;

import io.domainoperator.api.v1alpha1.DomainMigrationStatus;
import io.domainoperator.api.v1alpha1.MigrationConditions;
import io.domainoperator.hypervisor.MigrationProgress;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * The source's deadlines on a copy still running ({@link CopyDeadlines}). An expired copy fails the migration first
 * (a status write at the version read, so it and the hand-over cannot both land); the source then cancels the copy
 * ({@link SourceMigrationRules}'s undo: QEMU {@code migrate_cancel}, which also resumes a guest stopped for the final
 * copy, or the kill of xl's migrate pair), and the target destroys its incoming domain. The guest never leaves the
 * source.
 */
final class CopyDeadlineRules {
    private CopyDeadlineRules() {
    }

    /** The Failed status when a deadline passed, else null. */
    static DomainMigrationStatus expired(MigrationInput in) {
        DomainMigrationStatus st = in.status();
        MigrationProgress p = in.progress();
        Instant started = copyStart(st);
        long memory = in.observed() == null ? 0 : in.observed().maxMemoryBytes();
        Duration ran = started == null ? Duration.ofMillis(p.totalMillis()) : Duration.between(started, in.now());
        Duration allowed = in.deadlines().completion(memory);
        if (started != null && ran.compareTo(allowed) > 0) {
            return failed(in, MigrationConditions.COPY_TIMED_OUT, ran, "the copy to " + st.getTargetNode()
                + " did not complete within " + seconds(allowed) + " (spec.completionTimeoutPerGiB "
                + in.deadlines().perGiB().toSeconds() + " s for " + gib(memory) + " of memory); it ran " + seconds(ran)
                + bytes(p) + "; it is cancelled and the domain keeps running on " + in.node());
        }
        CopyWatch watch = in.watch();
        if (watch != null) {
            Duration stalled = Duration.between(watch.lastProgress(), in.now());
            if (stalled.compareTo(in.deadlines().withoutProgress()) > 0) {
                return failed(in, MigrationConditions.NO_PROGRESS, ran, "the copy to " + st.getTargetNode()
                    + " made no progress for " + seconds(stalled) + " (spec.progressTimeout "
                    + in.deadlines().withoutProgress().toSeconds() + " s): the target or the network stopped taking bytes"
                    + bytes(p) + "; it is cancelled after " + seconds(ran) + " and the domain keeps running on " + in.node());
            }
        }
        return null;
    }

    private static DomainMigrationStatus failed(MigrationInput in, String reason, Duration ran, String message) {
        DomainMigrationStatus s = MigrationStatusEdit.failed(in.status(), reason, message, in.now());
        s.setMigrationTimeMillis(Math.max(0, ran.toMillis()));
        return s;
    }

    /** Where spec.completionTimeoutPerGiB counts from: the copy's start, or the migration's for a status without it. */
    private static Instant copyStart(DomainMigrationStatus st) {
        String t = st.getCopyStartTime() != null ? st.getCopyStartTime() : st.getStartTime();
        return t == null ? null : Instant.parse(t);
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    private static String gib(long memoryBytes) {
        return memoryBytes > 0 ? String.format(Locale.ROOT, "%.3f GiB", (double) memoryBytes / CopyDeadlines.GIB)
            : "1 GiB (size unknown)";
    }

    private static String bytes(MigrationProgress p) {
        if (p.sentBytes() == MigrationProgress.UNKNOWN && p.remainingBytes() == MigrationProgress.UNKNOWN) {
            return "";
        }
        return ", " + (p.sentBytes() == MigrationProgress.UNKNOWN ? "?" : p.sentBytes()) + " bytes sent, "
            + (p.remainingBytes() == MigrationProgress.UNKNOWN ? "?" : p.remainingBytes()) + " left";
    }
}
