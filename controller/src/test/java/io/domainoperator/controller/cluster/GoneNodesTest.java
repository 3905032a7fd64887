package io.domainoperator.controller.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 16: which nodes the cluster controller declares gone for good. Only Kubernetes' own declarations count (the
 * out-of-service taint, a deleted Node object), never a stale heartbeat or NotReady alone, and never a node whose
 * agent still renews its heartbeat.
 */
class GoneNodesTest {
    private static final Instant NOW = Instant.parse("2026-12-01T03:00:00Z");
    private static final Instant STALE = NOW.minusSeconds(120);
    private static final Instant FRESH = NOW.minusSeconds(5);

    private static Node node(String name, String uid, String taintKey, String effect) {
        NodeBuilder b = new NodeBuilder().withNewMetadata().withName(name).withUid(uid).endMetadata();
        if (taintKey != null) {
            b.withNewSpec().addNewTaint().withKey(taintKey).withValue("nodeshutdown").withEffect(effect).endTaint().endSpec();
        }
        return b.build();
    }

    private static Lease heartbeat(String node, Instant renewed, String recordedUid) {
        Lease l = Fixtures.leaseObject("ns", node, renewed, 1024);
        if (recordedUid == null) {
            return l;
        }
        return new LeaseBuilder(l).editMetadata().addToAnnotations(GoneNodes.NODE_UID_ANNOTATION, recordedUid).endMetadata()
            .build();
    }

    @Test
    void aStaleHeartbeatAloneIsNoDeclaration() {
        GoneNodes gone = GoneNodes.of(List.of(node("a", "u1", null, null)), List.of(heartbeat("a", STALE, "u1")), NOW);
        assertThat(gone.why()).as("a partitioned node may still run its guests").isEmpty();
    }

    @Test
    void theOutOfServiceTaintWithAnyEffectDeclaresAStaleNodeGone() {
        for (String effect : List.of("NoExecute", "NoSchedule", "PreferNoSchedule")) {
            GoneNodes gone = GoneNodes.of(List.of(node("a", "u1", GoneNodes.OUT_OF_SERVICE_TAINT, effect)),
                List.of(heartbeat("a", STALE, null)), NOW);
            assertThat(gone.contains("a")).as(effect).isTrue();
            assertThat(gone.why().get("a")).contains("node.kubernetes.io/out-of-service=nodeshutdown:" + effect)
                .contains("non-graceful node shutdown");
        }
        assertThat(GoneNodes.of(List.of(node("a", "u1", GoneNodes.OUT_OF_SERVICE_TAINT, "NoExecute")), List.of(), NOW)
            .contains("a")).as("no heartbeat at all").isTrue();
        assertThat(GoneNodes.of(List.of(node("a", "u1", "node.kubernetes.io/unreachable", "NoExecute")),
            List.of(heartbeat("a", STALE, "u1")), NOW).why()).as("NotReady's own taints are no declaration").isEmpty();
    }

    @Test
    void aNodeWhoseAgentStillRenewsItsHeartbeatIsNeverGone() {
        assertThat(GoneNodes.of(List.of(node("a", "u1", GoneNodes.OUT_OF_SERVICE_TAINT, "NoExecute")),
            List.of(heartbeat("a", FRESH, "u1")), NOW).why()).isEmpty();
        assertThat(GoneNodes.of(List.of(), List.of(heartbeat("a", FRESH, "u1")), NOW).why()).isEmpty();
    }

    @Test
    void aDeletedNodeObjectIsSeenThroughTheUidRecordedOnItsHeartbeat() {
        GoneNodes gone = GoneNodes.of(List.of(node("b", "u2", null, null)),
            List.of(heartbeat("a", STALE, "u1"), heartbeat("b", STALE, "u2")), NOW);
        assertThat(gone.why()).containsOnlyKeys("a");
        assertThat(gone.why().get("a")).isEqualTo("its Node object (uid u1) was deleted");
    }

    @Test
    void aNodeThatNeverHadANodeObjectIsNotTakenForADeletedOne() {
        assertThat(GoneNodes.of(List.of(), List.of(heartbeat("a", STALE, null)), NOW).why())
            .as("standalone agents, a test server without kubelets").isEmpty();
    }

    @Test
    void theControllerRecordsEachNodesUidOnItsHeartbeatOnceAndAgainWhenItChanges() {
        List<Node> nodes = List.of(node("a", "u1", null, null), node("b", "u2b", null, null));
        List<Lease> leases = List.of(heartbeat("a", FRESH, null), heartbeat("b", FRESH, "u2"), heartbeat("c", FRESH, null),
            Fixtures.leaseObject("ns", "ignored", FRESH, 1).toBuilder().editMetadata().withName("domain-operator-controller")
                .endMetadata().build());
        assertThat(GoneNodes.uidsToRecord(nodes, leases)).isEqualTo(Map.of(
            "domainoperator-node-a", "u1", "domainoperator-node-b", "u2b"));
        assertThat(GoneNodes.uidsToRecord(nodes, List.of(heartbeat("a", FRESH, "u1")))).as("already recorded").isEmpty();
    }
}
