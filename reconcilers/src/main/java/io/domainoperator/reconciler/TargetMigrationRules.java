package io.domainoperator.reconciler;

import io.domainoperator.api.v1alpha1.Conditions;
import io.domainoperator.api.v1alpha1.DomainMigrationStatus;
import io.domainoperator.api.v1alpha1.MigrationConditions;
import io.domainoperator.api.v1alpha1.MigrationPhase;
import java.util.UUID;

/**
 * The target node's side. It prepares a paused incoming domain, and resumes it only once the hand-over is on
 * record; before that, a failure means its copy is destroyed and the guest stays on the source.
 */
final class TargetMigrationRules {
    private TargetMigrationRules() {
    }

    static MigrationDecision decide(MigrationInput in, Knobs knobs) {
        DomainMigrationStatus st = in.status();
        String name = st.getDomainName();
        if (st.getHandoverTime() != null) {
            return afterHandover(in);
        }
        return switch (st.getPhase()) {
            case Pending -> MigrationDecider.none(null, false);
            case Scheduling -> prepare(in);
            // xl creates the incoming domain only when the stream arrives: a listening receiver counts as there.
            case TargetReady, Migrating -> in.observed() == null
                && in.progress().state() != io.domainoperator.hypervisor.MigrationProgress.State.ACTIVE
                ? MigrationDecider.none(MigrationStatusEdit.failed(st, MigrationConditions.TARGET_LOST, "the incoming "
                    + "domain on " + in.node() + " is gone before the hand-over; the domain keeps running on "
                    + st.getSourceNode(), in.now()), true)
                : MigrationDecider.wait(MigrationDecider.COPY_POLL, true);
            // Failed before the hand-over: the guest stayed on the source; the copy here never ran, it goes.
            // A running domain here is not that never-started copy but the guest come by other means: never touched.
            case Failed, Succeeded -> in.observed() != null && !in.observed().state().isAlive()
                ? MigrationDecider.act(new MigrationOperations.DestroyCopy(name), null, null)
                : MigrationDecider.none(null, false);
        };
    }

    private static MigrationDecision prepare(MigrationInput in) {
        DomainMigrationStatus st = in.status();
        if (in.observed() != null) {
            // Prepared by an agent that died before it recorded where it listens: start over.
            return MigrationDecider.act(new MigrationOperations.DestroyCopy(st.getDomainName()), null, null);
        }
        if (in.spec() == null) {
            return MigrationDecider.none(MigrationStatusEdit.failed(st, MigrationConditions.DOMAIN_NOT_FOUND,
                "the DomainConfig is gone; nothing to move", in.now()), true);
        }
        String uuid = st.getUuid() != null ? st.getUuid() : UUID.nameUUIDFromBytes(st.getDomainName().getBytes(
            java.nio.charset.StandardCharsets.UTF_8)).toString();
        DomainMigrationStatus ready = MigrationStatusEdit.phase(st, MigrationPhase.TargetReady);
        String host = in.offeredHost().contains(":") ? "[" + in.offeredHost() + "]" : in.offeredHost();
        ready.setTargetAddress(host + ":" + in.offeredPort());
        MigrationStatusEdit.withCondition(ready, MigrationConditions.TARGET_PREPARED, Conditions.TRUE,
            MigrationConditions.LISTENING, "the incoming domain on " + in.node() + " waits, paused, at "
                + ready.getTargetAddress(), in.now());
        return MigrationDecider.act(new MigrationOperations.PrepareIncoming(st.getDomainName(), uuid, in.spec(),
            in.offeredHost(), in.offeredPort()), ready, MigrationConditions.TARGET_PREPARE_FAILED);
    }

    private static MigrationDecision afterHandover(MigrationInput in) {
        DomainMigrationStatus st = in.status();
        if (st.getTargetResumedTime() != null || st.getPhase().terminal()) {
            return MigrationDecider.none(null, !st.getPhase().terminal());
        }
        if (in.observed() == null) {
            return MigrationDecider.none(MigrationStatusEdit.failed(st, MigrationConditions.TARGET_LOST, "the incoming "
                + "domain on " + in.node() + " vanished after the hand-over, before it resumed: the guest is lost; its "
                + "DomainConfig, now on " + in.node() + ", boots it again by its policy", in.now()), true);
        }
        DomainMigrationStatus resumed = st.copy();
        resumed.setTargetResumedTime(Times.rfc3339(in.now()));
        if (in.observed().state().isAlive()) {
            // Resumed by an agent that died before it could record so.
            return MigrationDecider.none(resumed, true);
        }
        // A failed resume is retried: the last pages may still be loading into the incoming domain.
        return MigrationDecider.act(new MigrationOperations.ResumeIncoming(st.getDomainName()), resumed, null);
    }
}
