package io.domainoperator.controller.cluster;

import static io.domainoperator.controller.cluster.DrainPlannerTest.NOW;
import static io.domainoperator.controller.cluster.DrainPlannerTest.migration;
import static io.domainoperator.controller.cluster.DrainPlannerTest.on;
import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainMigration;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.api.v1alpha1.DrainConditions;
import io.domainoperator.api.v1alpha1.DrainPolicy;
import io.domainoperator.api.v1alpha1.MigrationPhase;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** spec.drainPolicy and the Draining condition: one row per branch of {@link DrainPlanner}. */
class DrainPolicyTest {
    @Test
    void liveMigrateKeepsADomainThatCannotMoveRunningAndSaysWhy() {
        DomainConfig router = on("router", "a", List.of("nic-1"));
        DrainPlanner.Plan plan = DrainPlanner.plan(Set.of("a"), List.of(router), List.of(), 2, NOW);
        assertThat(plan.toHalt()).isEmpty();
        assertThat(plan.blocked()).containsKey(router);
        assertThat(draining(plan, router)).satisfies(c -> {
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getReason()).isEqualTo(DrainConditions.DRAIN_BLOCKED);
            assertThat(c.getMessage()).contains("nic-1").contains("spec.drainPolicy LiveMigrate");
        });
    }

    @Test
    void haltAndBootElsewhereHaltsItThenUnassignsItOnceHalted() {
        DomainConfig router = policy(on("router", "a", List.of("nic-1")), DrainPolicy.HaltAndBootElsewhere);
        DrainPlanner.Plan first = DrainPlanner.plan(Set.of("a"), List.of(router), List.of(), 2, NOW);
        assertThat(first.toHalt()).containsOnlyKeys(router);
        assertThat(first.toHalt().get(router)).contains("not live-migratable");
        assertThat(draining(first, router).getReason()).isEqualTo(DrainConditions.HALTING);

        haltedByDrain(router, "a");
        DrainPlanner.Plan halting = DrainPlanner.plan(Set.of("a"), List.of(router), List.of(), 2, NOW);
        assertThat(halting.toHalt()).as("asked once").isEmpty();
        assertThat(halting.toBootElsewhere()).isEmpty();
        assertThat(draining(halting, router).getStatus()).isEqualTo("True");

        router.getStatus().setPhase(DomainPhase.Halted);
        DrainPlanner.Plan halted = DrainPlanner.plan(Set.of("a"), List.of(router), List.of(), 2, NOW);
        assertThat(halted.toBootElsewhere()).containsExactly(router);
        assertThat(halted.draining()).as("off the node: no condition").doesNotContainKey(ClusterDecider.key(router));
    }

    @Test
    void haltKeepsItHaltedOnTheNodeUntilTheNodeIsUncordoned() {
        DomainConfig router = haltedByDrain(policy(on("router", "a", List.of("nic-1")), DrainPolicy.Halt), "a");
        router.getStatus().setPhase(DomainPhase.Halted);
        DrainPlanner.Plan draining = DrainPlanner.plan(Set.of("a"), List.of(router), List.of(), 2, NOW);
        assertThat(draining.toBootElsewhere()).isEmpty();
        assertThat(draining.toResume()).isEmpty();
        assertThat(draining(draining, router).getReason()).isEqualTo(DrainConditions.HALTED_ON_NODE);

        DrainPlanner.Plan uncordoned = DrainPlanner.plan(Set.of(), List.of(router), List.of(), 2, NOW);
        assertThat(uncordoned.toResume()).containsExactly(router);
        assertThat(uncordoned.draining()).isEmpty();
    }

    @Test
    void aDomainThatCanMoveLiveMovesLiveWhateverItsPolicy() {
        DomainConfig web = policy(on("web", "a", List.of()), DrainPolicy.Halt);
        DrainPlanner.Plan plan = DrainPlanner.plan(Set.of("a"), List.of(web), List.of(), 2, NOW);
        assertThat(plan.toMigrate()).containsExactly(web);
        assertThat(plan.toHalt()).isEmpty();
        assertThat(draining(plan, web).getReason()).isEqualTo(DrainConditions.MIGRATING_LIVE);
    }

    @Test
    void aFailedDrainMigrationFallsBackToThePolicy() {
        DomainMigration failed = migration("drain-web-x", "web", MigrationPhase.Failed, "2026-11-30T17:59:30Z");
        DomainConfig halt = policy(on("web", "a", List.of()), DrainPolicy.Halt);
        DrainPlanner.Plan plan = DrainPlanner.plan(Set.of("a"), List.of(halt), List.of(failed), 2, NOW);
        assertThat(plan.toMigrate()).isEmpty();
        assertThat(plan.toHalt().get(halt)).contains("live migration failed").contains("drain-web-x");

        DomainConfig live = on("web", "a", List.of());
        DrainPlanner.Plan blocked = DrainPlanner.plan(Set.of("a"), List.of(live), List.of(failed), 2, NOW);
        assertThat(blocked.toMigrate()).as("LiveMigrate: tried again a minute after the failure").isEmpty();
        assertThat(blocked.toHalt()).isEmpty();
        assertThat(draining(blocked, live).getReason()).isEqualTo(DrainConditions.DRAIN_BLOCKED);
    }

    @Test
    void haltsTakeDrainSlotsAndWaitersSaySo() {
        DomainConfig one = policy(on("one", "a", List.of("nic-1")), DrainPolicy.Halt);
        DomainConfig two = policy(on("two", "a", List.of("nic-2")), DrainPolicy.Halt);
        DomainConfig web = on("web", "a", List.of());
        DrainPlanner.Plan plan = DrainPlanner.plan(Set.of("a"), List.of(one, two, web), List.of(), 1, NOW);
        assertThat(plan.toHalt()).containsOnlyKeys(one);
        assertThat(plan.toMigrate()).isEmpty();
        assertThat(draining(plan, two).getReason()).isEqualTo(DrainConditions.WAITING);
        assertThat(draining(plan, web).getMessage()).contains("--drain-parallel");

        DomainConfig elsewhere = on("elsewhere", "b", List.of());
        DomainConfig unplaced = on("unplaced", null, List.of());
        assertThat(DrainPlanner.plan(Set.of("a"), List.of(elsewhere, unplaced), List.of(), 1, NOW).draining())
            .as("nothing for a domain on another node or on none (an unplaced one broke the whole pass once)").isEmpty();
    }

    @Test
    void aDomainDrainHaltedThatWasMovedByHandIsReactivated() {
        DomainConfig moved = haltedByDrain(policy(on("router", "b", List.of()), DrainPolicy.Halt), "a");
        assertThat(DrainPlanner.plan(Set.of("a"), List.of(moved), List.of(), 2, NOW).toResume()).containsExactly(moved);
    }

    private static DomainConfig policy(DomainConfig dc, DrainPolicy policy) {
        dc.getSpec().setDrainPolicy(policy);
        return dc;
    }

    private static DomainConfig haltedByDrain(DomainConfig dc, String node) {
        dc.getMetadata().setAnnotations(new HashMap<>(Map.of(DrainConditions.HALTED_BY_DRAIN_ANNOTATION, node)));
        dc.getSpec().setActivate(false);
        return dc;
    }

    private static Condition draining(DrainPlanner.Plan plan, DomainConfig dc) {
        Condition c = plan.draining().get(ClusterDecider.key(dc));
        assertThat(c).as("Draining condition of " + dc.getMetadata().getName()).isNotNull();
        assertThat(c.getType()).isEqualTo(DrainConditions.DRAINING);
        return c;
    }
}
