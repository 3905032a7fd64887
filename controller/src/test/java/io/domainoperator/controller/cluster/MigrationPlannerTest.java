package io.domainoperator.controller.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.api.v1alpha1.DomainConfigStatus;
import io.domainoperator.api.v1alpha1.DomainMigration;
import io.domainoperator.api.v1alpha1.DomainMigrationSpec;
import io.domainoperator.api.v1alpha1.DomainMigrationStatus;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.api.v1alpha1.MigrationConditions;
import io.domainoperator.api.v1alpha1.MigrationPhase;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MigrationPlannerTest {
    static final Instant NOW = Instant.parse("2026-11-30T18:00:00Z");
    static final List<NodeCapacity> NODES = List.of(new NodeCapacity("a", true, 4096), new NodeCapacity("b", true, 1024),
        new NodeCapacity("c", true, 2048), new NodeCapacity("e", true, 2048), new NodeCapacity("dead", false, 8192));

    @Test
    void picksTheUncordonedLiveNodeWithTheMostFreeMemoryOtherThanTheSource() {
        DomainMigrationStatus s = MigrationPlanner.plan(migration(null), running(List.of()), NODES, Set.of(), false, NOW);
        assertThat(s.getPhase()).isEqualTo(MigrationPhase.Scheduling);
        assertThat(s.getSourceNode()).isEqualTo("a");
        assertThat(s.getTargetNode()).isEqualTo("c");
        assertThat(s.getDomainName()).isEqualTo("web");
        assertThat(MigrationPlanner.plan(migration(null), running(List.of()), NODES, Set.of("c"), false, NOW).getTargetNode())
            .as("a cordoned node is skipped").isEqualTo("e");
    }

    @Test
    void aDomainWithAPassedThroughAdapterIsNotLiveMigratableAndTheStatusSaysSo() {
        DomainMigrationStatus s = MigrationPlanner.plan(migration(null), running(List.of("nic-1")), NODES, Set.of(), false, NOW);
        assertThat(s.getPhase()).isEqualTo(MigrationPhase.Failed);
        assertThat(s.condition(MigrationConditions.COMPLETE).getReason()).isEqualTo(MigrationConditions.NOT_LIVE_MIGRATABLE);
        assertThat(s.condition(MigrationConditions.COMPLETE).getMessage()).contains("nic-1").contains("not live-migratable");
    }

    @Test
    void aTargetThatCannotTakeItFailsNamingWhy() {
        assertThat(reason(MigrationPlanner.plan(migration("b"), running(List.of()), NODES, Set.of(), false, NOW)))
            .isEqualTo(MigrationConditions.NO_TARGET); // 1024 MiB free, 2048 needed
        assertThat(MigrationPlanner.plan(migration("b"), running(List.of()), NODES, Set.of("b"), false, NOW)
            .condition(MigrationConditions.COMPLETE).getMessage()).contains("cordoned");
        assertThat(reason(MigrationPlanner.plan(migration("a"), running(List.of()), NODES, Set.of(), false, NOW)))
            .isEqualTo(MigrationConditions.NO_TARGET);
        assertThat(reason(MigrationPlanner.plan(migration(null), null, NODES, Set.of(), false, NOW)))
            .isEqualTo(MigrationConditions.DOMAIN_NOT_FOUND);
        assertThat(reason(MigrationPlanner.plan(migration(null), running(List.of()), NODES, Set.of(), true, NOW)))
            .isEqualTo(MigrationConditions.ALREADY_MIGRATING);
        DomainConfig halted = running(List.of());
        halted.getStatus().setPhase(DomainPhase.Halted);
        assertThat(reason(MigrationPlanner.plan(migration(null), halted, NODES, Set.of(), false, NOW)))
            .isEqualTo(MigrationConditions.DOMAIN_NOT_RUNNING);
    }

    @Test
    void aCopyDeadlineOutOfRangeFailsTheMigrationNamingTheFieldAndTheFix() {
        DomainMigration m = migration("c");
        m.getSpec().setProgressTimeout(0);
        DomainMigrationStatus s = MigrationPlanner.plan(m, running(List.of()), NODES, Set.of(), false, NOW);
        assertThat(reason(s)).isEqualTo(MigrationConditions.INVALID_SPEC);
        assertThat(s.condition(MigrationConditions.COMPLETE).getMessage())
            .isEqualTo("spec.progressTimeout must be between 1 and 86400, is 0; fix it and create the DomainMigration again");
        assertThat(s.getSourceNode()).as("nothing was scheduled").isNull();
    }

    private static String reason(DomainMigrationStatus s) {
        assertThat(s.getPhase()).isEqualTo(MigrationPhase.Failed);
        return s.condition(MigrationConditions.COMPLETE).getReason();
    }

    static DomainMigration migration(String target) {
        DomainMigration m = new DomainMigration();
        m.setMetadata(new ObjectMetaBuilder().withName("move-web").withNamespace("apps").build());
        DomainMigrationSpec spec = new DomainMigrationSpec();
        spec.setDomainConfig("web");
        spec.setTargetNode(target);
        m.setSpec(spec);
        return m;
    }

    static DomainConfig running(List<String> adapters) {
        DomainConfig dc = new DomainConfig();
        dc.setMetadata(new ObjectMetaBuilder().withName("web").withNamespace("apps").build());
        DomainConfigSpec spec = io.domainoperator.testing.Specs.minimal("web", 1, 2048);
        spec.setAdapters(adapters);
        dc.setSpec(spec);
        DomainConfigStatus st = new DomainConfigStatus();
        st.setPhase(DomainPhase.Running);
        st.setNode("a");
        st.setDomainName("web");
        dc.setStatus(st);
        return dc;
    }
}
