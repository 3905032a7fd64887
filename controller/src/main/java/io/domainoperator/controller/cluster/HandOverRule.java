package io.domainoperator.controller.cluster;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainMigration;
import io.domainoperator.api.v1alpha1.DomainMigrationStatus;
import io.domainoperator.api.v1alpha1.MigrationPhase;
import java.util.Collection;
import java.util.Objects;

/**
 * When the controller points a DomainConfig at a migration's target node (spec.nodeName, so that node's agent takes
 * the guest over). Pure.
 *
 * <p>Only the DomainConfig's last migration to hand its guest over may: a guest moved A to B and drained back B to A has two migrations
 * whose targets differ, and each re-pointing the DomainConfig at its own target moved spec.nodeName back and forth on
 * every pass (seen on the merged code of stop 13: the drain never settled, and an agent handed a guest it did not hold
 * rebuilt it as half-created). A Succeeded migration is finished: its pointing was done before it was written
 * Succeeded.
 */
final class HandOverRule {
    private HandOverRule() {
    }

    /** The node to point {@code domain} at for {@code m}, or null when {@code m} must leave the DomainConfig alone. */
    static String pointAt(DomainMigration m, Collection<DomainMigration> all, DomainConfig domain) {
        DomainMigrationStatus st = m.getStatus();
        if (st == null || st.getPhase() == null || st.getPhase() == MigrationPhase.Succeeded || domain == null
            || domain.getSpec() == null || st.getTargetNode() == null) {
            return null;
        }
        boolean targetOwns = st.getHandoverTime() != null
            && (st.getTargetResumedTime() != null || st.getPhase() == MigrationPhase.Failed);
        if (!targetOwns || !newest(m, all) || st.getTargetNode().equals(domain.getSpec().getNodeName())) {
            return null;
        }
        return st.getTargetNode();
    }

    /**
     * Whether no later migration of the same DomainConfig handed its guest over: the guest is where the last hand-over
     * put it (one refused or failed before its hand-over moved nothing).
     */
    static boolean newest(DomainMigration m, Collection<DomainMigration> all) {
        String key = key(m);
        for (DomainMigration o : all) {
            if (o != m && key != null && key.equals(key(o)) && o.getStatus() != null && o.getStatus().getHandoverTime() != null
                && created(o).compareTo(created(m)) > 0) {
                return false;
            }
        }
        return true;
    }

    private static String key(DomainMigration m) {
        return m.getSpec() == null ? null : m.getMetadata().getNamespace() + "/" + m.getSpec().getDomainConfig();
    }

    /** Creation time (seconds, ISO-8601 sorts as text), then name: the same order on every pass. */
    private static String created(DomainMigration m) {
        return Objects.toString(m.getMetadata().getCreationTimestamp(), "") + " " + m.getMetadata().getName();
    }
}
