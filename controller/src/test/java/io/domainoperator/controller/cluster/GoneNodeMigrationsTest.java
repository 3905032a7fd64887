package io.domainoperator.controller.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.api.v1alpha1.DomainMigration;
import io.domainoperator.api.v1alpha1.MigrationConditions;
import io.domainoperator.api.v1alpha1.MigrationPhase;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 16: a live migration whose source or target is declared gone before its hand-over ends Failed, so the agent
 * left takes its usual way back; after the hand-over, or for a merely unresponsive node, nothing is written.
 */
class GoneNodeMigrationsTest {
    private static final Instant NOW = Instant.parse("2026-12-01T03:00:00Z");

    private static DomainMigration migrating(String source, String target, MigrationPhase phase) {
        DomainMigration m = DrainPlannerTest.migration("move-web", "web", phase, null);
        m.getStatus().setSourceNode(source);
        m.getStatus().setTargetNode(target);
        return m;
    }

    private static GoneNodes gone(String node) {
        return new GoneNodes(Map.of(node, "its Node object (uid u1) was deleted"));
    }

    @Test
    void aTargetGoneBeforeTheHandOverFailsTheMigrationAndTheSourceKeepsTheGuest() {
        var failures = GoneNodeMigrations.decide(List.of(migrating("a", "b", MigrationPhase.Migrating)), gone("b"), NOW);
        assertThat(failures).singleElement().satisfies(f -> {
            assertThat(f.status().getPhase()).isEqualTo(MigrationPhase.Failed);
            assertThat(f.status().condition(MigrationConditions.COMPLETE).getReason()).isEqualTo(GoneNodeRelease.REASON);
            assertThat(f.message()).contains("target node b was declared gone").contains("the guest stays on a");
        });
    }

    @Test
    void aSourceGoneBeforeTheHandOverFailsItToo() {
        var failures = GoneNodeMigrations.decide(List.of(migrating("a", "b", MigrationPhase.TargetReady)), gone("a"), NOW);
        assertThat(failures).singleElement().satisfies(f ->
            assertThat(f.message()).contains("source node a was declared gone").contains("lost"));
    }

    @Test
    void afterTheHandOverOrWithNoNodeGoneNothingIsWritten() {
        DomainMigration handedOver = migrating("a", "b", MigrationPhase.Migrating);
        handedOver.getStatus().setHandoverTime("2026-12-01T02:59:00Z");
        assertThat(GoneNodeMigrations.decide(List.of(handedOver), gone("a"), NOW)).isEmpty();
        assertThat(GoneNodeMigrations.decide(List.of(migrating("a", "b", MigrationPhase.Migrating)), GoneNodes.NONE, NOW))
            .isEmpty();
        assertThat(GoneNodeMigrations.decide(List.of(migrating("a", "b", MigrationPhase.Failed)), gone("a"), NOW))
            .as("already ended").isEmpty();
        assertThat(GoneNodeMigrations.decide(List.of(migrating("a", "b", MigrationPhase.Migrating)), gone("c"), NOW))
            .isEmpty();
    }
}
