package io.domainoperator.hypervisor;

import java.util.Objects;

/**
 * A domain's migration as its hypervisor reports it (QEMU's {@code query-migrate}; xl's migrate process).
 *
 * @param state          where the copy is
 * @param totalMillis    how long the copy took (or has taken so far), the hypervisor's figure; 0 when unknown
 * @param downtimeMillis how long the guest was stopped for the final copy; 0 until completed or when unknown
 * @param error          why it failed, when {@code state} is {@link State#FAILED}; else null
 * @param sentBytes      bytes of guest memory sent so far; {@link #UNKNOWN} when the backend gives no figure
 * @param remainingBytes bytes of guest memory still to send (QEMU counts pages dirtied again); {@link #UNKNOWN} when
 *                       the backend gives no figure. Copy deadlines judge progress by these two.
 */
public record MigrationProgress(State state, long totalMillis, long downtimeMillis, String error, long sentBytes,
                                long remainingBytes) {
    /** A byte figure the backend does not report (xl's migrate process says nothing until it exits). */
    public static final long UNKNOWN = -1;
    public static final MigrationProgress NONE = new MigrationProgress(State.NONE, 0, 0, null);

    /** QEMU's {@code MigrationStatus} folded to what the decision needs. */
    public enum State {
        /** No migration was started in this domain (or its record is gone with the process). */
        NONE,
        /** Setting up, copying or in the final stop-and-copy. */
        ACTIVE,
        /** Every page was sent; the source is stopped ({@code postmigrate}). */
        COMPLETED,
        /** Failed or cancelled; QEMU resumes a source that was running. */
        FAILED
    }

    public MigrationProgress {
        Objects.requireNonNull(state, "state");
    }

    /** Without byte figures. */
    public MigrationProgress(State state, long totalMillis, long downtimeMillis, String error) {
        this(state, totalMillis, downtimeMillis, error, UNKNOWN, UNKNOWN);
    }

    public static MigrationProgress failed(String error) {
        return new MigrationProgress(State.FAILED, 0, 0, error);
    }
}
