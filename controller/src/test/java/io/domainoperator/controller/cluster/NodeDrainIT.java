package io.domainoperator.controller.cluster;

import static io.domainoperator.controller.cluster.Fixtures.domain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.domainoperator.api.v1alpha1.AdapterType;
import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainConfigStatus;
import io.domainoperator.api.v1alpha1.DomainMigration;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.api.v1alpha1.DrainConditions;
import io.domainoperator.api.v1alpha1.DrainPolicy;
import io.domainoperator.api.v1alpha1.MigrationConditions;
import io.domainoperator.testing.ManualClock;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Node drain through the controller process's leader pass, against fabric8's mock API server: the Node objects say
 * which node is in maintenance, the test plays the node agents' part by writing status.
 */
class NodeDrainIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Instant T0 = Instant.parse("2026-11-30T21:00:00Z");
    private final MockCluster cluster = new MockCluster();
    private final ManualClock clock = new ManualClock(T0);

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    /** Regression: drain ran only beside an existing DomainMigration, so a cluster that had never migrated drained nothing. */
    @Test
    void aNodeInMaintenanceIsDrainedLiveInAClusterThatNeverMigratedBefore() {
        cluster.node("a", 4096, clock);
        cluster.node("b", 4096, clock);
        running(placedOn(domain("apps", "web", 512), "a"));
        cluster.controller("leader", clock);
        maintenance("a", true);

        await("a drain DomainMigration for web").atMost(WAIT).untilAsserted(() ->
            assertThat(cluster.client.resources(DomainMigration.class).inNamespace("apps")
                .withLabel(DrainPlanner.DRAINED_NODE_LABEL, "a").list().getItems())
                .singleElement().satisfies(m -> assertThat(m.getSpec().getDomainConfig()).isEqualTo("web")));
        await("Draining=True MigratingLive").atMost(WAIT).untilAsserted(() -> assertThat(draining("web"))
            .extracting(Condition::getStatus, Condition::getReason).containsExactly("True", DrainConditions.MIGRATING_LIVE));
    }

    @Test
    void policyHaltHaltsWhatCannotMoveLiveAndUncordonBootsItAgain() {
        cluster.node("a", 4096, clock);
        cluster.node("b", 4096, clock);
        cluster.create(Fixtures.adapter("nic-1", "a", AdapterType.NetEth));
        DomainConfig router = placedOn(domain("apps", "router", 512, "nic-1"), "a");
        router.getSpec().setDrainPolicy(DrainPolicy.Halt);
        running(router);
        cluster.controller("leader", clock);
        maintenance("a", true);

        await("router asked to halt").atMost(WAIT).untilAsserted(() -> {
            DomainConfig dc = cluster.get("apps", "router");
            assertThat(dc.getSpec().getActivate()).isFalse();
            assertThat(dc.getMetadata().getAnnotations()).containsEntry(DrainConditions.HALTED_BY_DRAIN_ANNOTATION, "a");
            assertThat(draining("router").getReason()).isEqualTo(DrainConditions.HALTING);
        });
        status("router", DomainPhase.Halted); // the agent halted it
        await("halted on the drained node").atMost(WAIT).untilAsserted(() ->
            assertThat(draining("router").getReason()).isEqualTo(DrainConditions.HALTED_ON_NODE));
        assertThat(cluster.get("apps", "router").getSpec().getNodeName()).isEqualTo("a");

        maintenance("a", false);
        await("active again, the condition gone").atMost(WAIT).untilAsserted(() -> {
            DomainConfig dc = cluster.get("apps", "router");
            assertThat(dc.getSpec().getActivate()).isTrue();
            assertThat(dc.getMetadata().getAnnotations()).doesNotContainKey(DrainConditions.HALTED_BY_DRAIN_ANNOTATION);
            assertThat(dc.getStatus().condition(DrainConditions.DRAINING)).isNull();
        });
    }

    @Test
    void policyHaltAndBootElsewhereUnassignsItOnceHaltedAndPlacementAvoidsTheNode() {
        cluster.node("a", 8192, clock);
        cluster.node("b", 1024, clock);
        DomainConfig batch = placedOn(domain("apps", "batch", 512), "a");
        batch.getSpec().setDrainPolicy(DrainPolicy.HaltAndBootElsewhere);
        running(batch);
        // Its live migration failed: the policy takes over.
        DomainMigration failed = DrainPlannerTest.migration("drain-batch-x", "batch",
            io.domainoperator.api.v1alpha1.MigrationPhase.Failed, T0.minusSeconds(5).toString());
        failed.getMetadata().setNamespace("apps");
        DomainMigration made = cluster.client.resource(failed).create();
        made.setStatus(failed.getStatus());
        cluster.client.resource(made).updateStatus();
        cluster.controller("leader", clock);
        maintenance("a", true);

        await("batch asked to halt").atMost(WAIT).untilAsserted(() ->
            assertThat(cluster.get("apps", "batch").getSpec().getActivate()).isFalse());
        status("batch", DomainPhase.Halted);
        await("placed on b, active").atMost(WAIT).untilAsserted(() -> {
            DomainConfig dc = cluster.get("apps", "batch");
            assertThat(dc.getSpec().getNodeName()).as("a has the most memory but is in maintenance").isEqualTo("b");
            assertThat(dc.getSpec().getActivate()).isTrue();
            assertThat(dc.getMetadata().getAnnotations()).doesNotContainKey(DrainConditions.HALTED_BY_DRAIN_ANNOTATION);
        });
    }

    private Condition draining(String name) {
        DomainConfig dc = cluster.get("apps", name);
        Condition c = dc.getStatus() == null ? null : dc.getStatus().condition(DrainConditions.DRAINING);
        assertThat(c).as("Draining on " + name).isNotNull();
        return c;
    }

    private static DomainConfig placedOn(DomainConfig dc, String node) {
        dc.getSpec().setNodeName(node);
        dc.getMetadata().setLabels(new java.util.HashMap<>(java.util.Map.of(DomainConfig.NODE_LABEL, node)));
        return dc;
    }

    private void running(DomainConfig dc) {
        cluster.create(dc);
        status(dc.getMetadata().getName(), DomainPhase.Running);
    }

    private void status(String name, DomainPhase phase) {
        DomainConfig latest = cluster.get("apps", name);
        DomainConfigStatus st = latest.getStatus() == null ? new DomainConfigStatus() : latest.getStatus();
        st.setPhase(phase);
        st.setNode(latest.getSpec().getNodeName());
        st.setDomainName(name);
        latest.setStatus(st);
        cluster.client.resource(latest).updateStatus();
    }

    private void maintenance(String node, boolean on) {
        cluster.client.nodes().resource(new NodeBuilder().withNewMetadata().withName(node)
            .addToLabels(MigrationConditions.MAINTENANCE_LABEL, Boolean.toString(on)).endMetadata()
            .withNewSpec().withUnschedulable(on).endSpec().build()).createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);
    }
}
