package io.domainoperator.controller.cluster;

import io.domainoperator.api.v1alpha1.DomainMigration;
import io.domainoperator.api.v1alpha1.DomainMigrationStatus;
import io.domainoperator.api.v1alpha1.MigrationPhase;
import io.domainoperator.reconciler.MigrationStatusEdit;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A live migration whose source or target node is declared gone ({@link GoneNodes}) before its hand-over: it ends
 * Failed (reason {@value GoneNodeRelease#REASON}), as when the copy fails, so the agent that is left takes its normal
 * way back (a live source resumes and keeps the guest; a live target destroys its paused copy, which never ran). After
 * the hand-over nothing is written here: the guest is the target's, and the agents and {@link HandOverRule} finish.
 * Pure; the write is at the version read, so a hand-over that lands first wins.
 */
final class GoneNodeMigrations {
    private GoneNodeMigrations() {
    }

    record Failure(DomainMigration migration, DomainMigrationStatus status, String message) {
    }

    static List<Failure> decide(List<DomainMigration> migrations, GoneNodes gone, Instant now) {
        List<Failure> out = new ArrayList<>();
        if (gone.why().isEmpty()) {
            return out;
        }
        for (DomainMigration m : migrations) {
            DomainMigrationStatus st = m.getStatus();
            if (st == null || st.getPhase() == null || st.getPhase() == MigrationPhase.Pending || st.getPhase().terminal()
                || st.getHandoverTime() != null) {
                continue;
            }
            String dead = gone.contains(st.getSourceNode()) ? st.getSourceNode()
                : gone.contains(st.getTargetNode()) ? st.getTargetNode() : null;
            if (dead == null) {
                continue;
            }
            boolean source = dead.equals(st.getSourceNode());
            String message = (source ? "source" : "target") + " node " + dead + " was declared gone ("
                + gone.why().get(dead) + ") before the hand-over: " + (source ? "the guest ran there and is lost with it;"
                + " its DomainConfig is released on " + dead + "'s behalf" : "the guest stays on " + st.getSourceNode());
            out.add(new Failure(m, MigrationStatusEdit.failed(st, GoneNodeRelease.REASON, message, now), message));
        }
        return out;
    }
}
