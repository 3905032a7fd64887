package io.domainoperator.reconciler;

import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.api.v1alpha1.DomainMigrationStatus;
import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.MigrationProgress;
import java.time.Instant;
import java.util.Objects;

/**
 * What one node agent sees of one migration: the DomainMigration's status (the only channel between the two
 * agents), the DomainConfig's spec, the domain on this node and its migration as the hypervisor reports them.
 *
 * @param node        this agent's node
 * @param status      the DomainMigration's status as last read (never null: the agents act only once the controller
 *                    wrote one)
 * @param spec        the DomainConfig's spec (the target builds its incoming domain from it); null when the DomainConfig
 *                    is gone
 * @param observed    the domain named {@code status.domainName} on this node, ours only; null when there is none
 * @param progress    the hypervisor's view of that domain's migration ({@link MigrationProgress#NONE} when none)
 * @param offeredHost where a target would listen (the agent's migration address)
 * @param offeredPort a free port there, chosen by the agent just before deciding
 * @param deadlines   the DomainMigration's copy deadlines (defaults where its spec leaves them out)
 * @param watch       on the source, when its running copy last made progress; null when not watched
 */
public record MigrationInput(String node, DomainMigrationStatus status, DomainConfigSpec spec, DomainInfo observed,
                             MigrationProgress progress, String offeredHost, int offeredPort, Instant now,
                             CopyDeadlines deadlines, CopyWatch watch) {
    public MigrationInput {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(now, "now");
        deadlines = deadlines == null ? CopyDeadlines.DEFAULTS : deadlines;
        progress = progress == null ? MigrationProgress.NONE : progress;
        if (observed != null && !observed.ours()) {
            observed = null; // a foreign domain of that name is never ours to move or destroy
        }
    }

    /** With the default deadlines and no watch. */
    public MigrationInput(String node, DomainMigrationStatus status, DomainConfigSpec spec, DomainInfo observed,
                          MigrationProgress progress, String offeredHost, int offeredPort, Instant now) {
        this(node, status, spec, observed, progress, offeredHost, offeredPort, now, null, null);
    }

    boolean isSource() {
        return node.equals(status.getSourceNode());
    }

    boolean isTarget() {
        return node.equals(status.getTargetNode());
    }
}
