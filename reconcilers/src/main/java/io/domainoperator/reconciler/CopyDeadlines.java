package io.domainoperator.reconciler;

import io.domainoperator.api.v1alpha1.DomainMigrationSpec;
import java.time.Duration;
import java.util.Objects;

/**
 * How long a live migration's memory copy may run, as KubeVirt bounds its own: a completion deadline that grows with
 * the guest's memory, counted from the copy's start, and a time the copy may go without progress. Without them a hung
 * target (its QEMU stopped) or a network that stopped moving bytes leaves a migration Migrating for ever, with the
 * source's guest tied to it.
 *
 * @param perGiB          time allowed per GiB of the guest's maximum memory (spec.completionTimeoutPerGiB)
 * @param withoutProgress time allowed without progress (spec.progressTimeout)
 */
public record CopyDeadlines(Duration perGiB, Duration withoutProgress) {
    static final long GIB = 1L << 30;
    public static final CopyDeadlines DEFAULTS = new CopyDeadlines(
        Duration.ofSeconds(DomainMigrationSpec.DEFAULT_COMPLETION_TIMEOUT_PER_GIB),
        Duration.ofSeconds(DomainMigrationSpec.DEFAULT_PROGRESS_TIMEOUT));

    public CopyDeadlines {
        Objects.requireNonNull(perGiB, "perGiB");
        Objects.requireNonNull(withoutProgress, "withoutProgress");
        if (perGiB.isNegative() || perGiB.isZero() || withoutProgress.isNegative() || withoutProgress.isZero()) {
            throw new IllegalArgumentException("copy deadlines must be positive: " + perGiB + ", " + withoutProgress);
        }
    }

    /** The DomainMigration's deadlines, each defaulted where its spec leaves it out. */
    public static CopyDeadlines of(DomainMigrationSpec spec) {
        if (spec == null) {
            return DEFAULTS;
        }
        return new CopyDeadlines(
            spec.getCompletionTimeoutPerGiB() == null ? DEFAULTS.perGiB : Duration.ofSeconds(spec.getCompletionTimeoutPerGiB()),
            spec.getProgressTimeout() == null ? DEFAULTS.withoutProgress : Duration.ofSeconds(spec.getProgressTimeout()));
    }

    /**
     * The time a copy of a guest of {@code memoryBytes} may take: in proportion to its memory (a 256 MiB guest gets a
     * quarter of {@link #perGiB}); a guest whose size the hypervisor does not report is taken as 1 GiB.
     */
    Duration completion(long memoryBytes) {
        long bytes = memoryBytes > 0 ? memoryBytes : GIB;
        // In double: 86400 s per GiB times 16 TiB of memory overflows a long of milliseconds.
        return Duration.ofMillis(Math.max(1, (long) (perGiB.toMillis() * ((double) bytes / GIB))));
    }
}
