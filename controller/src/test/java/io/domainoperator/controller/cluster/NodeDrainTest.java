package io.domainoperator.controller.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.api.v1alpha1.MigrationPhase;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NodeDrainTest {
    /** Regression: a drain migration created and already in the cache took two of the --drain-parallel slots. */
    @Test
    void aCreatedDrainMigrationCountsOnceWhetherOrNotTheCacheHasIt() {
        var cached = DrainPlannerTest.migration("drain-w1-x", "w1", MigrationPhase.Migrating, null);
        assertThat(NodeDrain.uncached(Set.of("apps/w1", "apps/w2"), List.of(cached))).isEqualTo(1);
        assertThat(NodeDrain.uncached(Set.of("apps/w1"), List.of(cached))).isZero();
        var users = DrainPlannerTest.migration("move-w2", "w2", MigrationPhase.Migrating, null);
        assertThat(NodeDrain.uncached(Set.of("apps/w2"), List.of(users))).as("a user's migration is not drain's").isEqualTo(1);
    }
}
