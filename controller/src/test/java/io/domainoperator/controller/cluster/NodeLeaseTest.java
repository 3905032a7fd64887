package io.domainoperator.controller.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class NodeLeaseTest {
    private static final Instant RENEWED = Instant.parse("2026-03-01T12:00:00Z");

    @Test
    void readsCapacityAndFreshness() {
        NodeLease lease = NodeLease.from(Fixtures.leaseObject("ns", "edge-1", RENEWED, 2048));

        assertThat(lease.nodeName()).isEqualTo("edge-1");
        assertThat(lease.memoryFreeMiB()).isEqualTo(2048);
        assertThat(lease.cpus()).isEqualTo(8);
        assertThat(lease.hypervisor()).isEqualTo("sim");
        assertThat(lease.isFresh(RENEWED.plusSeconds(40))).isTrue();
        assertThat(lease.isFresh(RENEWED.plusSeconds(41))).isFalse();
    }

    @Test
    void aLeaseWithoutRenewOrCapacityIsNotFreshAndHasNoRoom() {
        var raw = new LeaseBuilder().withNewMetadata().withName("domainoperator-node-x").addToAnnotations(
            NodeLease.MEMORY_FREE_ANNOTATION, "lots").endMetadata().build();

        NodeLease lease = NodeLease.from(raw);

        assertThat(NodeLease.isNodeLease(raw)).isTrue();
        assertThat(lease.isFresh(RENEWED)).isFalse();
        assertThat(lease.memoryFreeMiB()).isZero();
        assertThat(NodeLease.isNodeLease(new LeaseBuilder().withNewMetadata().withName("domain-operator-controller").endMetadata().build())).isFalse();
    }
}
