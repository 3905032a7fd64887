package io.domainoperator.reconciler;

import io.domainoperator.api.v1alpha1.DomainMigrationStatus;
import io.domainoperator.api.v1alpha1.MigrationConditions;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The engine's answer for one agent and one migration.
 *
 * @param operation     the step to perform ({@link Operation.None} when none)
 * @param status        the status to write: at once when there is no operation, after it succeeded otherwise; null
 *                      when nothing changes. The agent writes it only if the object is still at the version it read
 *                      (optimistic concurrency): the two agents and the controller must never overwrite one another.
 * @param failReason    when the operation fails: the reason the migration then fails with, or null to retry it after
 *                      {@code requeueAfter}
 * @param requeueAfter  when to decide again
 * @param holdsDomain   whether the domain belongs to the migration on this node now: the agent's DomainConfig loop
 *                      and orphan sweeper must stand back (they would boot, resume or halt a copy in mid-move)
 */
public record MigrationDecision(Operation operation, DomainMigrationStatus status, String failReason,
                                Duration requeueAfter, boolean holdsDomain) {
    public MigrationDecision {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(requeueAfter, "requeueAfter");
    }

    public boolean hasOperation() {
        return !(operation instanceof Operation.None);
    }

    /** The status to write after the operation failed with {@code error}, or null to leave it and retry. */
    public DomainMigrationStatus statusAfterFailure(DomainMigrationStatus read, String error, Instant now) {
        if (failReason == null) {
            return null;
        }
        return MigrationStatusEdit.failed(read, failReason, operation.kind() + " failed on this node: " + error
            + (MigrationConditions.TARGET_PREPARE_FAILED.equals(failReason) ? "; the domain stays on the source node" : ""),
            now);
    }
}
