package io.domainoperator.controller.cluster;

import static io.domainoperator.controller.cluster.Fixtures.domain;
import static io.domainoperator.controller.cluster.Fixtures.lease;
import static io.domainoperator.controller.cluster.Fixtures.placed;
import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.api.v1alpha1.MigrationConditions;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Ordinary placement and a cordoned or maintenance node (issue 18, item 2): never chosen, usable again once uncordoned. */
class CordonedPlacementTest {
    private static final Instant NOW = Instant.parse("2026-11-30T21:00:00Z");

    @Test
    void aCordonedNodeIsNeverChosenEvenWithTheMostMemory() {
        var nodes = List.of(new NodeCapacity("big", true, 65536, true), new NodeCapacity("small", true, 1024));
        var result = Placement.place(List.of(new DomainRequest("ns/vm", 512, List.of())), nodes, Map.of());
        assertThat(result.assignments()).containsExactly(Map.entry("ns/vm", "small"));

        var full = Placement.place(List.of(new DomainRequest("ns/vm", 2048, List.of())), nodes, Map.of());
        assertThat(full.noFits().get("ns/vm").message()).isEqualTo("0/2 nodes fit: 1 cordoned or in maintenance (uncordon it "
            + "to use it again), 1 insufficient memory (need 2048 MiB, most free 1024 MiB)");
    }

    @Test
    void aDomainWhoseAdapterIsOnACordonedNodeWaits() {
        var nodes = List.of(new NodeCapacity("edge-1", true, 8192, true), new NodeCapacity("edge-2", true, 8192));
        var adapters = Map.of("nic", new AdapterView("nic", "edge-1", null, null));
        var result = Placement.place(List.of(new DomainRequest("ns/router", 512, List.of("nic"))), nodes, adapters);
        assertThat(result.assignments()).isEmpty();
        assertThat(result.noFits().get("ns/router").message()).contains("1 cordoned or in maintenance");
    }

    @Test
    void theDeciderPlacesOffCordonedNodesAndUsesThemAgainOnceUncordoned() {
        DomainConfig vm = domain("apps", "vm", 512);
        var leases = List.of(lease("a", NOW, 8192), lease("b", NOW, 1024));
        var cordoned = ClusterDecider.decide(List.of(vm), leases, List.of(), Set.of("a"), "ns", NOW);
        assertThat(cordoned).singleElement().extracting(DomainDecision::assignNode).isEqualTo("b");
        var uncordoned = ClusterDecider.decide(List.of(vm), leases, List.of(), Set.of(), "ns", NOW);
        assertThat(uncordoned).singleElement().extracting(DomainDecision::assignNode).isEqualTo("a");

        DomainConfig running = placed(domain("apps", "stays", 512), "a", DomainPhase.Running);
        assertThat(ClusterDecider.decide(List.of(running), leases, List.of(), Set.of("a"), "ns", NOW))
            .as("a domain already on a cordoned node stays assigned (drain moves it)")
            .allSatisfy(d -> assertThat(d.assignNode()).isNull());
    }

    @Test
    void maintenanceIsReadFromNodeObjects() {
        List<Node> nodes = List.of(node("cordoned", true, null), node("labelled", false, "true"), node("both", true, "true"),
            node("fine", false, "false"));
        NodeMaintenance m = NodeMaintenance.of(nodes);
        assertThat(m.cordoned()).containsExactlyInAnyOrder("cordoned", "labelled", "both");
        assertThat(m.draining()).as("drain needs the cordon and the label").containsExactly("both");
        assertThat(NodeMaintenance.of(List.of()).cordoned()).isEmpty();
    }

    private static Node node(String name, boolean unschedulable, String maintenance) {
        NodeBuilder b = new NodeBuilder().withNewMetadata().withName(name).endMetadata();
        if (maintenance != null) {
            b.editMetadata().addToLabels(MigrationConditions.MAINTENANCE_LABEL, maintenance).endMetadata();
        }
        return b.withNewSpec().withUnschedulable(unschedulable).endSpec().build();
    }
}
