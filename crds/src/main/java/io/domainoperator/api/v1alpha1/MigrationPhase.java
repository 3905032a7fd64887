package io.domainoperator.api.v1alpha1;

/**
 * Where a {@link DomainMigration} is. The domain runs on the source node until the source agent records the
 * hand-over ({@code status.handoverTime}), and on the target node from then on: never on both, never on neither
 * except for the downtime of the final copy.
 */
public enum MigrationPhase {
    /** Accepted; the cluster controller has not checked it yet. */
    Pending,
    /** The controller chose the target; the target node's agent is preparing the incoming domain. */
    Scheduling,
    /** The target waits, paused, for the guest's memory at {@code status.targetAddress}. */
    TargetReady,
    /** The source agent is copying the guest's memory; after the hand-over the target resumes it. */
    Migrating,
    /** The domain runs on the target node and its DomainConfig names that node. */
    Succeeded,
    /** The domain was not moved; it runs where the status says (conditions say why and what to do). */
    Failed;

    public boolean terminal() {
        return this == Succeeded || this == Failed;
    }
}
