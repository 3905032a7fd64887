package io.domainoperator.controller.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlacementTest {
    private static DomainRequest dom(String name, long mib, String... adapters) {
        return new DomainRequest("ns/" + name, mib, List.of(adapters));
    }

    private static AdapterView adapter(String name, String node) {
        return new AdapterView(name, node, null, null);
    }

    @Test
    void picksTheNodeWithMostFreeMemoryThenTheSmallerName() {
        var result = Placement.place(List.of(dom("a", 512), dom("b", 512), dom("c", 512)),
            List.of(new NodeCapacity("n2", true, 2048), new NodeCapacity("n1", true, 2048), new NodeCapacity("n3", true, 1024)),
            Map.of());

        // a: n1 and n2 tie at 2048, n1 wins on name; b: n2 now has most; c: n1 and n2 tie at 1536 -> n1.
        assertThat(result.assignments()).containsExactly(Map.entry("ns/a", "n1"), Map.entry("ns/b", "n2"), Map.entry("ns/c", "n1"));
        assertThat(result.noFits()).isEmpty();
    }

    @Test
    void aBurstNeverOvercommitsANode() {
        var result = Placement.place(List.of(dom("a", 1024), dom("b", 1024), dom("c", 1024)),
            List.of(new NodeCapacity("n1", true, 2048)), Map.of());

        assertThat(result.assignments()).containsOnlyKeys("ns/a", "ns/b");
        assertThat(result.noFits().get("ns/c").message())
            .isEqualTo("0/1 nodes fit: 1 insufficient memory (need 1024 MiB, most free 0 MiB)");
    }

    @Test
    void noFitCountsEachFailedConstraintPerNode() {
        var nodes = List.of(new NodeCapacity("n1", true, 1024), new NodeCapacity("n2", true, 1024),
            new NodeCapacity("n3", false, 8192));
        var result = Placement.place(List.of(dom("big", 2048)), nodes, Map.of());

        assertThat(result.noFits().get("ns/big").message()).isEqualTo(
            "0/3 nodes fit: 2 insufficient memory (need 2048 MiB, most free 1024 MiB), 1 not responding (heartbeat Lease expired)");
    }

    @Test
    void aDomainWithAdaptersGoesToTheNodeHoldingThem() {
        var nodes = List.of(new NodeCapacity("edge-1", true, 1024), new NodeCapacity("edge-2", true, 8192));
        var adapters = Map.of("edge-1-eth1", adapter("edge-1-eth1", "edge-1"), "edge-1-usb", adapter("edge-1-usb", "edge-1"));
        var result = Placement.place(List.of(dom("router", 512, "edge-1-eth1", "edge-1-usb")), nodes, adapters);

        assertThat(result.assignments()).containsExactly(Map.entry("ns/router", "edge-1"));
    }

    @Test
    void anAdapterIsGivenToOneDomainOnly() {
        var nodes = List.of(new NodeCapacity("edge-1", true, 8192), new NodeCapacity("edge-2", true, 8192),
            new NodeCapacity("edge-3", true, 8192));
        var result = Placement.place(List.of(dom("r1", 512, "edge-1-eth1"), dom("r2", 512, "edge-1-eth1")),
            nodes, Map.of("edge-1-eth1", adapter("edge-1-eth1", "edge-1")));

        assertThat(result.assignments()).containsExactly(Map.entry("ns/r1", "edge-1"));
        assertThat(result.noFits().get("ns/r2").message()).isEqualTo(
            "0/3 nodes fit: 2 missing adapter edge-1-eth1, 1 adapter edge-1-eth1 busy (held by ns/r1)");
    }

    @Test
    void adapterRulesAndMemoryAreCheckedOnTheHoldingNode() {
        var nodes = List.of(new NodeCapacity("edge-1", true, 256), new NodeCapacity("edge-2", true, 8192));
        var adapters = Map.of(
            "eth1", adapter("eth1", "edge-1"),
            "mgmt", new AdapterView("mgmt", "edge-2", "usage Dom0: host only", null),
            "wifi", new AdapterView("wifi", "edge-2", "NetWLAN radios stay with the host", null),
            "held", new AdapterView("held", "edge-2", null, "other/vm"),
            "mine", new AdapterView("mine", "edge-2", null, "ns/self"));
        var result = Placement.place(List.of(dom("needs-memory", 512, "eth1"), dom("mgmt-user", 64, "mgmt"),
            dom("wifi-user", 64, "wifi"), dom("held-user", 64, "held"), dom("missing", 64, "nope"),
            dom("split", 64, "eth1", "mine"), dom("self", 64, "mine")), nodes, adapters);

        assertThat(result.noFits().get("ns/needs-memory").message()).isEqualTo(
            "0/2 nodes fit: 1 insufficient memory (need 512 MiB, 256 MiB free), 1 missing adapter eth1");
        assertThat(result.noFits().get("ns/mgmt-user").message()).isEqualTo(
            "0/2 nodes fit: 1 adapter mgmt not assignable (usage Dom0: host only), 1 missing adapter mgmt");
        assertThat(result.noFits().get("ns/wifi-user").message()).contains("1 adapter wifi not assignable (NetWLAN radios stay with the host)");
        assertThat(result.noFits().get("ns/held-user").message()).contains("1 adapter held busy (held by other/vm)");
        assertThat(result.noFits().get("ns/missing").message()).isEqualTo(
            "0/2 nodes fit: 2 missing adapter nope (no PhysicalIOAdapter of that name)");
        assertThat(result.noFits().get("ns/split").message()).isEqualTo(
            "0/2 nodes fit: 1 missing adapter eth1 (it is on node edge-1), 1 missing adapter mine (it is on node edge-2)");
        assertThat(result.assignments()).containsExactly(Map.entry("ns/self", "edge-2"));
    }

    @Test
    void domainsWithAdaptersArePlacedBeforeMemoryOnlyOnes() {
        // The memory-only domain comes first, but if it went first it would take edge-1's only room.
        var nodes = List.of(new NodeCapacity("edge-1", true, 1024));
        var result = Placement.place(List.of(dom("plain", 1024), dom("router", 1024, "eth1")), nodes,
            Map.of("eth1", adapter("eth1", "edge-1")));

        assertThat(result.assignments()).containsExactly(Map.entry("ns/router", "edge-1"));
        assertThat(result.noFits()).containsOnlyKeys("ns/plain");
    }

    @Test
    void noNodesAtAll() {
        var result = Placement.place(List.of(dom("a", 64)), List.of(), Map.of());

        assertThat(result.noFits().get("ns/a").message()).isEqualTo("0/0 nodes fit: no node agent publishes a heartbeat Lease yet");
    }

    @Test
    void sameInputSameOutput() {
        var nodes = List.of(new NodeCapacity("b", true, 4096), new NodeCapacity("a", true, 4096), new NodeCapacity("c", true, 4096));
        var requests = List.of(dom("x", 100), dom("y", 200), dom("z", 300), dom("w", 4000));

        assertThat(Placement.place(requests, nodes, Map.of())).isEqualTo(Placement.place(requests, nodes, Map.of()));
    }
}
