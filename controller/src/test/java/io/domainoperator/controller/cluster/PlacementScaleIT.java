package io.domainoperator.controller.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The scale case end to end: DomainConfigs and node heartbeats in the mock API server, one cluster
 * controller placing them all through the API. Prints the wall time from the controller's start to the last
 * placement (mostly the mock server's request handling; the placement decision itself is measured by
 * PlacementScaleTest). Sizes: -Dscale.domains and -Dscale.nodes; the defaults (2,000 over 200) keep CI
 * short, the figure comes from {@code -Dscale.domains=10000 -Dscale.nodes=1000} (about 4 minutes
 * on a busy 2-core machine, nearly all of it the mock server handling 20,000 patches). A scale run (about
 * 30 s even at the defaults), so it runs with {@code -Pscale}, not in CI's default build.
 */
@Tag("scale")
class PlacementScaleIT {
    private static final int DOMAINS = Integer.getInteger("scale.domains", 2_000);
    private static final int NODES = Integer.getInteger("scale.nodes", 200);
    private static final long NODE_FREE_MIB = 64 * 1024;

    @Test
    void placesEveryDomainThroughTheApiWithoutOvercommitting() {
        try (MockCluster cluster = new MockCluster()) {
            Instant now = Instant.now();
            for (int n = 0; n < NODES; n++) {
                Lease lease = Fixtures.leaseObject(MockCluster.LEASES, "node-" + n, now, NODE_FREE_MIB);
                // Creating the domains takes longer than a real 40 s lease; these nodes must stay alive meanwhile.
                lease.getSpec().setLeaseDurationSeconds(3600);
                cluster.client.resource(lease).create();
            }
            long createStart = System.nanoTime();
            for (int d = 0; d < DOMAINS; d++) {
                cluster.create(Fixtures.domain("fleet", String.format("vm-%05d", d), 512 << (d % 4)));
            }
            long createdMillis = (System.nanoTime() - createStart) / 1_000_000;

            long start = System.nanoTime();
            ClusterController controller = cluster.controller("scale", Clock.systemUTC());
            // (The mock server ignores "!label" selectors, so count by listing everything.)
            await("every domain placed").atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(1)).until(() ->
                cluster.client.resources(DomainConfig.class).inNamespace("fleet").list().getItems().stream()
                    .allMatch(d -> d.getSpec().getNodeName() != null));
            long placedMillis = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("PlacementScaleIT: created %,d DomainConfigs in %,d ms; one controller placed them over %,d nodes "
                + "through the mock API server in %,d ms (leader election included)%n", DOMAINS, createdMillis, NODES, placedMillis);

            List<DomainConfig> all = cluster.client.resources(DomainConfig.class).inNamespace("fleet").list().getItems();
            Map<String, Long> used = new HashMap<>();
            for (DomainConfig domain : all) {
                assertThat(domain.getSpec().getNodeName()).isEqualTo(domain.getMetadata().getLabels().get(DomainConfig.NODE_LABEL));
                used.merge(domain.getSpec().getNodeName(), (long) domain.getSpec().effectiveMaxMemoryMiB(), Long::sum);
            }
            assertThat(used.values()).allSatisfy(mib -> assertThat(mib).isLessThanOrEqualTo(NODE_FREE_MIB));
            assertThat(controller.isLeader()).isTrue();
            assertThat(cluster.client.resources(Lease.class).inNamespace(MockCluster.LEASES).list().getItems()).hasSize(NODES + 1);
        }
    }
}
