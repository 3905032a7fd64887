package io.domainoperator.controller.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.api.v1alpha1.AdapterType;
import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.PhysicalIOAdapter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The scale case: 10,000 DomainConfigs over 1,000 nodes, one in ten asking for an adapter. Asserts
 * the result is a valid placement; prints how long it took (no timing assert: CI machines are shared).
 */
class PlacementScaleTest {
    private static final int NODES = 1_000;
    private static final int DOMAINS = 10_000;
    private static final long NODE_FREE_MIB = 64 * 1024;

    @Test
    void placesTenThousandDomainsOnAThousandNodes() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        List<NodeLease> leases = new ArrayList<>();
        List<PhysicalIOAdapter> adapters = new ArrayList<>();
        for (int n = 0; n < NODES; n++) {
            String node = "node-" + n;
            leases.add(Fixtures.lease(node, now, NODE_FREE_MIB));
            adapters.add(Fixtures.adapter(node + "-eth1", node, AdapterType.NetEth));
        }
        List<DomainConfig> domains = new ArrayList<>();
        Map<String, Integer> memory = new HashMap<>();
        for (int d = 0; d < DOMAINS; d++) {
            int mib = 512 << (d % 4); // 512 MiB to 4 GiB
            String[] wanted = d % 10 == 0 ? new String[] {"node-" + (d / 10) + "-eth1"} : new String[0];
            DomainConfig domain = Fixtures.domain("fleet", String.format("vm-%05d", d), mib, wanted);
            domain.getMetadata().setCreationTimestamp(String.format("2026-01-01T00:%02d:%02dZ", d / 3600 % 60, d / 60 % 60));
            domains.add(domain);
            memory.put("fleet/" + domain.getMetadata().getName(), mib);
        }

        List<DomainDecision> decisions = null;
        List<Long> millis = new ArrayList<>();
        for (int run = 0; run < 3; run++) {
            long start = System.nanoTime();
            decisions = ClusterDecider.decide(domains, leases, adapters, "domain-operator-system", now);
            millis.add((System.nanoTime() - start) / 1_000_000);
        }
        System.out.printf("PlacementScaleTest: %,d domains over %,d nodes decided (validation, duplicate check, placement) "
            + "in %s ms (first run includes JIT warm-up)%n", DOMAINS, NODES, millis);

        Map<String, Long> used = new HashMap<>();
        Set<String> placed = new HashSet<>();
        for (DomainDecision decision : decisions) {
            assertThat(decision.assignNode()).as("node for %s", decision.key()).isNotNull();
            placed.add(decision.key());
            used.merge(decision.assignNode(), (long) memory.get(decision.key()), Long::sum);
        }
        assertThat(placed).hasSize(DOMAINS);
        assertThat(used.values()).allSatisfy(mib -> assertThat(mib).isLessThanOrEqualTo(NODE_FREE_MIB));
        assertThat(decisions).filteredOn(d -> Integer.parseInt(d.name().substring(3)) % 10 == 0)
            .allSatisfy(d -> assertThat(d.assignNode()).isEqualTo("node-" + Integer.parseInt(d.name().substring(3)) / 10));
        // Spread: with 10,000 domains on 1,000 equal nodes every node gets some.
        assertThat(used).hasSize(NODES);
    }
}
