package io.domainoperator.hypervisor;

import java.util.Objects;

/**
 * A domain's migration as its hypervisor reports it (QEMU's {@code query-migrate}; xl's migrate process).
 *
 * @param state          where the copy is
 * @param totalMillis    how long the copy took (or has taken so far), the hypervisor's figure; 0 when unknown
 * @param downtimeMillis how long the guest was stopped for the final copy; 0 until completed or when unknown
 * @param error          why it failed, when {@code state} is {@link State#FAILED}; else null
 */
public record MigrationProgress(State state, long totalMillis, long downtimeMillis, String error) {
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

    public static MigrationProgress failed(String error) {
        return new MigrationProgress(State.FAILED, 0, 0, error);
    }
}
