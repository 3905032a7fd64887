package io.domainoperator.controller.cluster;

import io.domainoperator.testing.ManualClock;
import static io.domainoperator.controller.cluster.Fixtures.domain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.domainoperator.api.v1alpha1.AdapterType;
import io.domainoperator.api.v1alpha1.AdapterUsage;
import io.domainoperator.api.v1alpha1.Conditions;
import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.api.v1alpha1.PhysicalIOAdapter;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cluster controller against fabric8's mock API server (CRUD mode, committed CRDs): two replicas,
 * one leader; placement by memory and adapters with "no fit" reasons; invalid and duplicate specs;
 * failover; node loss and recovery.
 */
class ClusterControllerIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    private MockCluster cluster;
    private ManualClock controllerClock;
    private ManualClock nodeClock;

    @BeforeEach
    void setUp() {
        cluster = new MockCluster();
        controllerClock = new ManualClock(T0);
        nodeClock = new ManualClock(T0);
    }

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    private List<ClusterController> twoReplicas() {
        List<ClusterController> replicas = List.of(cluster.controller("replica-a", controllerClock),
            cluster.controller("replica-b", controllerClock));
        await("exactly one replica leads").atMost(WAIT)
            .until(() -> replicas.stream().filter(ClusterController::isLeader).count() == 1);
        return replicas;
    }

    private Condition condition(String namespace, String name, String type) {
        DomainConfig domain = cluster.get(namespace, name);
        return domain == null || domain.getStatus() == null ? null : domain.getStatus().condition(type);
    }

    private void awaitCondition(String what, String namespace, String name, String type, String status, String reason) {
        await(what).atMost(WAIT).untilAsserted(() -> assertThat(condition(namespace, name, type))
            .isNotNull()
            .extracting(Condition::getStatus, Condition::getReason)
            .containsExactly(status, reason));
    }

    private void awaitPlacedOn(String namespace, String name, String node) {
        await(namespace + "/" + name + " placed on " + node).atMost(WAIT).untilAsserted(() -> {
            DomainConfig domain = cluster.get(namespace, name);
            assertThat(domain.getSpec().getNodeName()).isEqualTo(node);
            assertThat(domain.getMetadata().getLabels()).containsEntry(DomainConfig.NODE_LABEL, node);
            assertThat(domain.getStatus().getPhase()).isEqualTo(DomainPhase.Scheduled);
            assertThat(domain.getStatus().condition(Conditions.PLACED).getStatus()).isEqualTo(Conditions.TRUE);
        });
    }

    private static PhysicalIOAdapter adapter(String name, String node, AdapterType type) {
        return Fixtures.adapter(name, node, type);
    }

    @Test
    void exactlyOneOfTwoReplicasLeadsAndHoldsTheLease() {
        List<ClusterController> replicas = twoReplicas();
        ClusterController leader = replicas.stream().filter(ClusterController::isLeader).findFirst().orElseThrow();

        Lease lease = cluster.client.resources(Lease.class).inNamespace(MockCluster.LEASES)
            .withName(ClusterController.LEADER_LEASE_NAME).get();
        assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(leader.identity());
        await("both replicas know the leader").atMost(WAIT).untilAsserted(() ->
            assertThat(replicas).allSatisfy(r -> assertThat(r.leaderIdentity()).isEqualTo(leader.identity())));
    }

    @Test
    void placesByMemoryAndAdaptersAndExplainsWhatDoesNotFit() {
        cluster.node("edge-1", 4096, nodeClock);
        cluster.node("edge-2", 2048, nodeClock);
        cluster.create(adapter("edge-1-eth1", "edge-1", AdapterType.NetEth));
        PhysicalIOAdapter mgmt = adapter("edge-2-eth0", "edge-2", AdapterType.NetEth);
        mgmt.getSpec().setUsage(AdapterUsage.Dom0);
        cluster.create(mgmt);
        twoReplicas();

        cluster.create(domain("apps", "router", 1024, "edge-1-eth1"));
        awaitPlacedOn("apps", "router", "edge-1");

        cluster.create(domain("apps", "small", 512));
        // edge-1 has 4096 - 1024 = 3072 MiB left for placement (router has not started), edge-2 2048.
        awaitPlacedOn("apps", "small", "edge-1");

        cluster.create(domain("apps", "big", 8192));
        awaitCondition("big has no fit", "apps", "big", Conditions.PLACED, Conditions.FALSE, Conditions.NO_FIT);
        assertThat(condition("apps", "big", Conditions.PLACED).getMessage())
            .isEqualTo("0/2 nodes fit: 2 insufficient memory (need 8192 MiB, most free 2560 MiB)");
        assertThat(cluster.get("apps", "big").getStatus().getPhase()).isEqualTo(DomainPhase.Pending);

        cluster.create(domain("apps", "second-router", 256, "edge-1-eth1"));
        awaitCondition("second router has no fit", "apps", "second-router", Conditions.PLACED, Conditions.FALSE, Conditions.NO_FIT);
        assertThat(condition("apps", "second-router", Conditions.PLACED).getMessage())
            .isEqualTo("0/2 nodes fit: 1 adapter edge-1-eth1 busy (held by apps/router), 1 missing adapter edge-1-eth1");

        cluster.create(domain("apps", "mgmt-user", 256, "edge-2-eth0"));
        awaitCondition("mgmt user has no fit", "apps", "mgmt-user", Conditions.PLACED, Conditions.FALSE, Conditions.NO_FIT);
        assertThat(condition("apps", "mgmt-user", Conditions.PLACED).getMessage())
            .isEqualTo("0/2 nodes fit: 1 adapter edge-2-eth0 not assignable (usage Dom0: host only), 1 missing adapter edge-2-eth0");

        // A third node with room arrives: the pending domain is placed there.
        cluster.node("edge-3", 16384, nodeClock);
        awaitPlacedOn("apps", "big", "edge-3");
        assertThat(cluster.get("apps", "second-router").getSpec().getNodeName()).isNull();
        await("the controller's Events").atMost(WAIT).untilAsserted(() -> {
            var events = cluster.client.v1().events().inNamespace("apps").list().getItems();
            assertThat(events).anySatisfy(e -> {
                assertThat(e.getInvolvedObject().getName()).isEqualTo("big");
                assertThat(e.getType()).isEqualTo("Warning");
                assertThat(e.getReason()).isEqualTo(Conditions.NO_FIT);
                assertThat(e.getMessage()).contains("insufficient memory");
            }).anySatisfy(e -> {
                assertThat(e.getInvolvedObject().getName()).isEqualTo("big");
                assertThat(e.getReason()).isEqualTo(ClusterDecider.NODE_ASSIGNED);
                assertThat(e.getMessage()).isEqualTo("placed on node edge-3");
                assertThat(e.getSource().getComponent()).isEqualTo("domain-operator-controller");
            });
        });
    }

    @Test
    void theAgentsStatusIsKeptAndAPlacedDomainIsNeverMoved() {
        cluster.node("edge-1", 4096, nodeClock);
        twoReplicas();
        cluster.create(domain("apps", "vm", 1024));
        awaitPlacedOn("apps", "vm", "edge-1");

        // The node agent reports its own status; then a user points spec.nodeName at another node: the
        // controller mirrors the label, keeps the agent's status and never writes nodeName back.
        cluster.client.resources(DomainConfig.class).inNamespace("apps").withName("vm").editStatus(d -> {
            d.getStatus().setPhase(DomainPhase.Running);
            d.getStatus().getConditions().add(OwnedStatus.condition(Conditions.READY, Conditions.TRUE, Conditions.RUNNING, "running"));
            return d;
        });
        cluster.node("edge-2", 4096, nodeClock);
        cluster.client.resources(DomainConfig.class).inNamespace("apps").withName("vm").edit(d -> {
            d.getSpec().setNodeName("edge-2");
            return d;
        });

        await("label follows the user's nodeName").atMost(WAIT).untilAsserted(() -> {
            DomainConfig vm = cluster.get("apps", "vm");
            assertThat(vm.getMetadata().getLabels()).containsEntry(DomainConfig.NODE_LABEL, "edge-2");
            assertThat(vm.getStatus().condition(Conditions.PLACED).getMessage()).isEqualTo("assigned to node edge-2");
        });
        DomainConfig vm = cluster.get("apps", "vm");
        assertThat(vm.getSpec().getNodeName()).isEqualTo("edge-2");
        assertThat(vm.getStatus().getPhase()).isEqualTo(DomainPhase.Running);
        assertThat(vm.getStatus().condition(Conditions.READY).getReason()).isEqualTo(Conditions.RUNNING);
    }

    @Test
    void anInvalidSpecIsReportedAndNotPlacedUntilFixed() {
        cluster.node("edge-1", 4096, nodeClock);
        twoReplicas();
        DomainConfig bad = domain("apps", "bad", 1024);
        bad.getSpec().setMaxMemoryMiB(512);
        bad.getSpec().setBootOrder("xyz");
        cluster.create(bad);

        awaitCondition("bad is InvalidSpec", "apps", "bad", Conditions.READY, Conditions.FALSE, Conditions.INVALID_SPEC);
        DomainConfig seen = cluster.get("apps", "bad");
        assertThat(seen.getStatus().condition(Conditions.READY).getMessage())
            .contains("spec.maxMemoryMiB", "spec.bootOrder");
        assertThat(seen.getStatus().getPhase()).isEqualTo(DomainPhase.Broken);
        assertThat(seen.getSpec().getNodeName()).isNull();

        cluster.client.resources(DomainConfig.class).inNamespace("apps").withName("bad").edit(d -> {
            d.getSpec().setMaxMemoryMiB(2048);
            d.getSpec().setBootOrder("dc");
            return d;
        });
        awaitPlacedOn("apps", "bad", "edge-1");
        assertThat(condition("apps", "bad", Conditions.READY)).as("InvalidSpec cleared").isNull();
    }

    @Test
    void aDuplicateUuidOrDisplayNameIsReportedOnBothObjects() {
        // No node yet, so that nothing can be placed before the controller has seen all three objects.
        twoReplicas();
        DomainConfig first = domain("apps", "first", 256);
        DomainConfig second = domain("apps", "second", 256);
        first.getSpec().setUuid("6f1c2b1e-0d7a-4c43-9a43-5a4f0b9b1a01");
        second.getSpec().setUuid("6f1c2b1e-0d7a-4c43-9a43-5a4f0b9b1a01");
        DomainConfig third = domain("apps", "third", 256);
        third.getSpec().setDisplayName("first");
        Stream.of(first, second, third).forEach(cluster::create);

        for (String name : List.of("first", "second", "third")) {
            awaitCondition(name + " is InvalidSpec", "apps", name, Conditions.READY, Conditions.FALSE, Conditions.INVALID_SPEC);
        }
        assertThat(condition("apps", "first", Conditions.READY).getMessage())
            .contains("spec.uuid: '6f1c2b1e-0d7a-4c43-9a43-5a4f0b9b1a01' is also used by DomainConfig second")
            .contains("spec.displayName: 'first' is also used by DomainConfig third");
        assertThat(condition("apps", "second", Conditions.READY).getMessage()).contains("is also used by DomainConfig first");
        assertThat(condition("apps", "third", Conditions.READY).getMessage())
            .contains("spec.displayName: 'first' is also used by DomainConfig first");

        cluster.node("edge-1", 4096, nodeClock);
        cluster.create(domain("apps", "valid", 256));
        awaitPlacedOn("apps", "valid", "edge-1");
        for (String name : List.of("first", "second", "third")) {
            assertThat(cluster.get("apps", name).getSpec().getNodeName()).as(name + " not placed").isNull();
        }

        // Deleting one side of the uuid clash and renaming the other side of the name clash clears all.
        cluster.client.resource(second).delete();
        cluster.client.resources(DomainConfig.class).inNamespace("apps").withName("third").edit(d -> {
            d.getSpec().setDisplayName("third");
            return d;
        });
        awaitPlacedOn("apps", "first", "edge-1");
        awaitPlacedOn("apps", "third", "edge-1");
        assertThat(condition("apps", "first", Conditions.READY)).as("InvalidSpec cleared").isNull();
    }

    @Test
    void aClashWithAnAlreadyPlacedDomainIsReportedOnBothAndMovesNothing() {
        cluster.node("edge-1", 4096, nodeClock);
        twoReplicas();
        DomainConfig old = domain("apps", "old", 256);
        old.getSpec().setUuid("6f1c2b1e-0d7a-4c43-9a43-5a4f0b9b1a01");
        cluster.create(old);
        awaitPlacedOn("apps", "old", "edge-1");

        DomainConfig copy = domain("apps", "copy", 256);
        copy.getSpec().setUuid("6f1c2b1e-0d7a-4c43-9a43-5a4f0b9b1a01");
        cluster.create(copy);

        awaitCondition("copy is InvalidSpec", "apps", "copy", Conditions.READY, Conditions.FALSE, Conditions.INVALID_SPEC);
        awaitCondition("old is InvalidSpec", "apps", "old", Conditions.READY, Conditions.FALSE, Conditions.INVALID_SPEC);
        assertThat(condition("apps", "old", Conditions.READY).getMessage()).contains("is also used by DomainConfig copy");
        assertThat(cluster.get("apps", "old").getSpec().getNodeName()).isEqualTo("edge-1");
        assertThat(cluster.get("apps", "copy").getSpec().getNodeName()).isNull();
        assertThat(cluster.get("apps", "copy").getStatus().getPhase()).isEqualTo(DomainPhase.Broken);
    }

    @Test
    void whenTheLeaderStopsTheOtherReplicaTakesOverAndKeepsPlacing() {
        cluster.node("edge-1", 4096, nodeClock);
        List<ClusterController> replicas = twoReplicas();
        cluster.create(domain("apps", "before", 512));
        awaitPlacedOn("apps", "before", "edge-1");

        ClusterController leader = replicas.stream().filter(ClusterController::isLeader).findFirst().orElseThrow();
        ClusterController standby = replicas.stream().filter(r -> r != leader).findFirst().orElseThrow();
        leader.close();

        await("standby takes over").atMost(WAIT).until(standby::isLeader);
        assertThat(leader.isLeader()).isFalse();
        cluster.create(domain("apps", "after", 512));
        awaitPlacedOn("apps", "after", "edge-1");
    }

    @Test
    void aLostNodesDomainsAreMarkedNodeLostNotMovedAndRecover() {
        MockCluster.Node edge1 = cluster.node("edge-1", 4096, nodeClock);
        MockCluster.Node edge2 = cluster.node("edge-2", 4096, nodeClock);
        twoReplicas();
        cluster.create(domain("apps", "vm", 3072));
        awaitPlacedOn("apps", "vm", "edge-1");

        // edge-2 keeps renewing, edge-1 stops: the controller's clock passes edge-1's lease duration.
        nodeClock.set(T0.plusSeconds(60));
        controllerClock.set(T0.plusSeconds(60));
        edge2.heartbeat().renewOnce();

        awaitCondition("vm marked NodeLost", "apps", "vm", Conditions.NODE_LOST, Conditions.TRUE, Conditions.NODE_NOT_RESPONDING);
        DomainConfig lost = cluster.get("apps", "vm");
        assertThat(lost.getStatus().getPhase()).isEqualTo(DomainPhase.Unknown);
        assertThat(lost.getSpec().getNodeName()).as("not moved").isEqualTo("edge-1");
        assertThat(lost.getStatus().condition(Conditions.NODE_LOST).getMessage())
            .contains("node edge-1 last renewed its heartbeat Lease domain-operator-system/domainoperator-node-edge-1 at " + T0);

        edge1.heartbeat().renewOnce();
        await("NodeLost cleared").atMost(WAIT).untilAsserted(() -> assertThat(condition("apps", "vm", Conditions.NODE_LOST)).isNull());
        assertThat(cluster.get("apps", "vm").getSpec().getNodeName()).isEqualTo("edge-1");
    }
}
