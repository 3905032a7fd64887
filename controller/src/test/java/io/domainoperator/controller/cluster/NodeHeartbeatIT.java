package io.domainoperator.controller.cluster;

import io.domainoperator.testing.ManualClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.domainoperator.hypervisor.HostInfo;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The node agent's heartbeat against fabric8's mock API server. */
class NodeHeartbeatIT {
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private MockCluster cluster;

    @BeforeEach
    void setUp() {
        cluster = new MockCluster();
    }

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    private Lease lease(String node) {
        return cluster.client.resources(Lease.class).inNamespace(MockCluster.LEASES).withName(NodeLease.leaseName(node)).get();
    }

    @Test
    void createsThenRenewsTheLeaseWithTheHostsCapacity() {
        ManualClock clock = new ManualClock(T0);
        AtomicLong free = new AtomicLong(3L << 30);
        NodeHeartbeat heartbeat = new NodeHeartbeat(cluster.client, MockCluster.LEASES, "edge-1", "xl",
            () -> new HostInfo(16, 8L << 30, free.get(), 0), clock);

        heartbeat.renewOnce();
        NodeLease first = NodeLease.from(lease("edge-1"));
        assertThat(first).isEqualTo(new NodeLease("edge-1", T0, Duration.ofSeconds(40), 8L << 30, 3L << 30, 16, "xl"));
        assertThat(lease("edge-1").getSpec().getHolderIdentity()).isEqualTo("edge-1");

        clock.advance(Duration.ofSeconds(10));
        free.set(1L << 30);
        heartbeat.renewOnce();
        NodeLease second = NodeLease.from(lease("edge-1"));
        assertThat(second.renewTime()).isEqualTo(T0.plusSeconds(10));
        assertThat(second.memoryFreeMiB()).isEqualTo(1024);
        assertThat(lease("edge-1").getSpec().getAcquireTime().toInstant()).as("acquired once").isEqualTo(T0);
    }

    @Test
    void startRenewsPeriodicallyAndCloseStops() {
        NodeHeartbeat heartbeat = new NodeHeartbeat(cluster.client, MockCluster.LEASES, "edge-2", "sim",
            () -> new HostInfo(2, 1L << 30, 1L << 29, 0), Clock.systemUTC(), Duration.ofSeconds(3), Duration.ofMillis(100));
        heartbeat.start();
        await("lease created").atMost(Duration.ofSeconds(20)).until(() -> lease("edge-2") != null);
        Instant firstRenew = NodeLease.from(lease("edge-2")).renewTime();

        await("lease renewed again").atMost(Duration.ofSeconds(20))
            .until(() -> NodeLease.from(lease("edge-2")).renewTime().isAfter(firstRenew));
        heartbeat.close();
        assertThat(lease("edge-2")).as("the lease stays after close, to expire").isNotNull();
    }

    @Test
    void rejectsARenewIntervalNotShorterThanTheLease() {
        assertThatThrownBy(() -> new NodeHeartbeat(cluster.client, MockCluster.LEASES, "n", "sim",
            () -> new HostInfo(1, 1, 1, 0), Clock.systemUTC(), Duration.ofSeconds(10), Duration.ofSeconds(10)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("renewInterval (PT10S) must be positive and shorter than leaseDuration (PT10S)");
    }
}
