package io.domainoperator.controller.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainMigration;
import io.domainoperator.api.v1alpha1.DomainMigrationStatus;
import io.domainoperator.api.v1alpha1.MigrationPhase;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DrainPlannerTest {
    static final Instant NOW = Instant.parse("2026-11-30T18:00:00Z");

    @Test
    void movesTheDrainingNodesRunningDomainsAtMostNAtATime() {
        List<DomainConfig> domains = List.of(on("w1", "a", List.of()), on("w2", "a", List.of()), on("w3", "a", List.of()),
            on("other", "b", List.of()));
        DrainPlanner.Plan plan = DrainPlanner.plan(Set.of("a"), domains, List.of(), 2, NOW);
        assertThat(plan.toMigrate()).extracting(d -> d.getMetadata().getName()).containsExactly("w1", "w2");
        assertThat(DrainPlanner.plan(Set.of(), domains, List.of(), 2, NOW).toMigrate()).isEmpty();
    }

    @Test
    void aRunningDrainMigrationTakesASlotAndItsDomainIsNotMovedTwice() {
        List<DomainConfig> domains = List.of(on("w1", "a", List.of()), on("w2", "a", List.of()), on("w3", "a", List.of()));
        List<DomainMigration> migrations = new ArrayList<>(List.of(migration("drain-w1-x", "w1", MigrationPhase.Migrating, null)));
        assertThat(DrainPlanner.plan(Set.of("a"), domains, migrations, 2, NOW).toMigrate())
            .extracting(d -> d.getMetadata().getName()).containsExactly("w2");
        migrations.set(0, migration("drain-w1-x", "w1", MigrationPhase.Failed, "2026-11-30T17:59:30Z"));
        assertThat(DrainPlanner.plan(Set.of("a"), domains, migrations, 2, NOW).toMigrate())
            .as("a drain that just ended is not started again at once").extracting(d -> d.getMetadata().getName())
            .containsExactly("w2", "w3");
        migrations.set(0, migration("drain-w1-x", "w1", MigrationPhase.Succeeded, "2026-11-30T17:59:30Z"));
        assertThat(DrainPlanner.plan(Set.of("a"), domains, migrations, 3, NOW).toMigrate())
            .as("nor one that just succeeded (its DomainConfig may still name the node in a cache)")
            .extracting(d -> d.getMetadata().getName()).containsExactly("w2", "w3");
        migrations.set(0, migration("drain-w1-x", "w1", MigrationPhase.Failed, "2026-11-30T17:58:30Z"));
        assertThat(DrainPlanner.plan(Set.of("a"), domains, migrations, 3, NOW).toMigrate())
            .extracting(d -> d.getMetadata().getName()).containsExactly("w1", "w2", "w3");
    }

    @Test
    void aDomainWithAnAdapterIsReportedNotMoved() {
        DrainPlanner.Plan plan = DrainPlanner.plan(Set.of("a"), List.of(on("router", "a", List.of("nic-1"))), List.of(), 2, NOW);
        assertThat(plan.toMigrate()).isEmpty();
        assertThat(plan.blocked().values()).singleElement().asString().contains("nic-1").contains("not live-migratable");
    }

    static DomainConfig on(String name, String node, List<String> adapters) {
        DomainConfig dc = MigrationPlannerTest.running(adapters);
        dc.getMetadata().setName(name);
        dc.getSpec().setNodeName(node);
        dc.getStatus().setNode(node);
        return dc;
    }

    static DomainMigration migration(String name, String domain, MigrationPhase phase, String end) {
        DomainMigration m = MigrationPlannerTest.migration(null);
        m.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("apps").build());
        m.getSpec().setDomainConfig(domain);
        DomainMigrationStatus s = new DomainMigrationStatus();
        s.setPhase(phase);
        s.setEndTime(end);
        m.setStatus(s);
        return m;
    }
}
