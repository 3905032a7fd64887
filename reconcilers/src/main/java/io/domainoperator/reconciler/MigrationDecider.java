package io.domainoperator.reconciler;

import io.domainoperator.api.v1alpha1.DomainMigrationStatus;
import java.time.Duration;
import java.util.Objects;

/**
 * Live migration's decisions for the two node agents, pure as {@link DomainDecider} is. The rule it keeps is
 * xenopsd's: at every moment the guest runs on exactly one node. It holds because of one commit point, the source
 * agent's write of {@code status.handoverTime}:
 * <ul>
 *   <li>before it the guest belongs to the source: the target's copy stays paused (it is only ever resumed after
 *       the hand-over is on record), and any failure ends with the source running it ({@link SourceMigrationRules});</li>
 *   <li>from it on the guest belongs to the target: the source's stopped copy is only ever destroyed, never resumed,
 *       and the target resumes its copy ({@link TargetMigrationRules});</li>
 *   <li>the hand-over and a failure are both status writes made only at the version read, so exactly one of them
 *       lands; whoever loses reads again and follows the one that did.</li>
 * </ul>
 * A killed agent loses nothing: the hypervisor keeps the copy's state (QEMU's {@code query-migrate}), the API server
 * keeps the status, and the next agent decides again from both.
 */
public final class MigrationDecider {
    static final Duration COPY_POLL = Duration.ofMillis(250);
    private final Knobs knobs;

    public MigrationDecider(Knobs knobs) {
        this.knobs = Objects.requireNonNull(knobs, "knobs");
    }

    public MigrationDecision decide(MigrationInput in) {
        Objects.requireNonNull(in, "in");
        if (in.status().getPhase() == null || in.status().getDomainName() == null) {
            return none(null, false);
        }
        if (in.isSource()) {
            return SourceMigrationRules.decide(in, knobs);
        }
        if (in.isTarget()) {
            return TargetMigrationRules.decide(in, knobs);
        }
        return none(null, false);
    }

    static MigrationDecision none(DomainMigrationStatus write, boolean holds) {
        return new MigrationDecision(Operation.None.INSTANCE, write, null, COPY_POLL, holds);
    }

    static MigrationDecision wait(Duration after, boolean holds) {
        return new MigrationDecision(Operation.None.INSTANCE, null, null, after, holds);
    }

    static MigrationDecision act(Operation op, DomainMigrationStatus after, String failReason) {
        return new MigrationDecision(op, after, failReason, Duration.ZERO, true);
    }
}
