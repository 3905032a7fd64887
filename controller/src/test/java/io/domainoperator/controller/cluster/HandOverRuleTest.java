package io.domainoperator.controller.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainMigration;
import io.domainoperator.api.v1alpha1.MigrationPhase;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Regression (stop 13's drain failure on the merged code): a guest moved A to B by one migration and drained back B to
 * A by a second. Both ended Succeeded, and each pass pointed the DomainConfig at each one's target in turn, so
 * spec.nodeName flipped between A and B several times a second and the drain never settled.
 */
class HandOverRuleTest {
    @Test
    void onlyTheLastHandOverPointsTheDomainConfigAndASucceededMigrationNever() {
        DomainMigration moved = handedOver("move-web", "2026-11-30T21:00:00Z", "a", "b", MigrationPhase.Succeeded);
        DomainMigration drained = handedOver("drain-web-x", "2026-11-30T21:05:00Z", "b", "a", MigrationPhase.Succeeded);
        List<DomainMigration> all = List.of(moved, drained);
        DomainConfig onA = on("a");
        DomainConfig onB = on("b");

        assertThat(HandOverRule.pointAt(moved, all, onA)).as("the first move, long over, leaves the drained guest on A").isNull();
        assertThat(HandOverRule.pointAt(drained, all, onB)).as("a Succeeded migration already pointed it").isNull();

        drained.getStatus().setPhase(MigrationPhase.Migrating);
        assertThat(HandOverRule.pointAt(drained, all, onB)).as("the drain's hand-over, not yet Succeeded").isEqualTo("a");
        assertThat(HandOverRule.pointAt(drained, all, onA)).as("already there").isNull();
        assertThat(HandOverRule.pointAt(moved, all, onB)).isNull();
    }

    @Test
    void aMigrationThatFailedAfterItsHandOverPointsAtTheTargetUnlessALaterOneHandedOver() {
        DomainMigration failedAfter = handedOver("move-web", "2026-11-30T21:00:00Z", "a", "b", MigrationPhase.Failed);
        failedAfter.getStatus().setTargetResumedTime(null);
        DomainMigration refused = DrainPlannerTest.migration("drain-web-y", "web", MigrationPhase.Failed, "2026-11-30T21:06:00Z");
        refused.getMetadata().setCreationTimestamp("2026-11-30T21:06:00Z");
        assertThat(HandOverRule.pointAt(failedAfter, List.of(failedAfter, refused), on("a")))
            .as("a later migration refused before any hand-over moved nothing").isEqualTo("b");

        DomainMigration later = handedOver("drain-web-z", "2026-11-30T21:07:00Z", "b", "a", MigrationPhase.Succeeded);
        assertThat(HandOverRule.pointAt(failedAfter, List.of(failedAfter, later), on("a"))).isNull();
    }

    @Test
    void noHandOverNoPointing() {
        DomainMigration m = DrainPlannerTest.migration("move-web", "web", MigrationPhase.Migrating, null);
        m.getStatus().setTargetNode("b");
        assertThat(HandOverRule.pointAt(m, List.of(m), on("a"))).isNull();
        m.getStatus().setPhase(MigrationPhase.Failed);
        assertThat(HandOverRule.pointAt(m, List.of(m), on("a"))).as("failed before the hand-over: the source kept it").isNull();
    }

    private static DomainMigration handedOver(String name, String created, String source, String target, MigrationPhase phase) {
        DomainMigration m = DrainPlannerTest.migration(name, "web", phase, null);
        m.getMetadata().setCreationTimestamp(created);
        m.getStatus().setSourceNode(source);
        m.getStatus().setTargetNode(target);
        m.getStatus().setHandoverTime(created);
        m.getStatus().setTargetResumedTime(created);
        return m;
    }

    private static DomainConfig on(String node) {
        DomainConfig dc = MigrationPlannerTest.running(List.of());
        dc.getSpec().setNodeName(node);
        dc.getStatus().setNode(node);
        return dc;
    }
}
