package io.domainoperator.controller.cluster;

import io.domainoperator.hypervisor.MemorySize;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A node agent's heartbeat as read from its coordination Lease: liveness and the capacity it reported.
 *
 * <p>The Lease is named {@code domainoperator-node-<node>}, {@code holderIdentity} is the node name, and
 * capacity rides in annotations so that one small object carries both (as kubelet's node Lease carries
 * liveness, without the cost of rewriting a whole status object every ten seconds).
 *
 * @param nodeName          the node
 * @param renewTime         when the agent last renewed, or null if never
 * @param leaseDuration     how long a renewal counts
 * @param memoryTotalBytes  memory the hypervisor manages
 * @param memoryFreeBytes   memory not given to any domain, when last renewed
 * @param cpus              physical CPUs
 * @param hypervisor        xl, qemu or sim
 */
public record NodeLease(String nodeName, Instant renewTime, Duration leaseDuration, long memoryTotalBytes,
                        long memoryFreeBytes, int cpus, String hypervisor) {
    public static final String NAME_PREFIX = "domainoperator-node-";
    public static final String DEFAULT_NAMESPACE = "domain-operator-system";
    public static final Duration DEFAULT_DURATION = Duration.ofSeconds(40);
    public static final String MEMORY_TOTAL_ANNOTATION = "domainoperator.io/memory-total-bytes";
    public static final String MEMORY_FREE_ANNOTATION = "domainoperator.io/memory-free-bytes";
    public static final String CPUS_ANNOTATION = "domainoperator.io/cpus";
    public static final String HYPERVISOR_ANNOTATION = "domainoperator.io/hypervisor";

    /** Name of the heartbeat Lease of {@code nodeName}. */
    public static String leaseName(String nodeName) {
        return NAME_PREFIX + nodeName;
    }

    /** Whether {@code lease} is a node heartbeat (and not, e.g., the controller's leader-election Lease). */
    public static boolean isNodeLease(Lease lease) {
        return lease.getMetadata() != null && lease.getMetadata().getName() != null
            && lease.getMetadata().getName().startsWith(NAME_PREFIX);
    }

    /** Reads a node heartbeat Lease; unparseable or missing capacity reads as zero (nothing will be placed there). */
    public static NodeLease from(Lease lease) {
        String name = lease.getMetadata().getName().substring(NAME_PREFIX.length());
        Map<String, String> annotations = lease.getMetadata().getAnnotations() == null
            ? Map.of() : lease.getMetadata().getAnnotations();
        Instant renew = null;
        Duration duration = DEFAULT_DURATION;
        if (lease.getSpec() != null) {
            if (lease.getSpec().getRenewTime() != null) {
                renew = lease.getSpec().getRenewTime().toInstant();
            } else if (lease.getSpec().getAcquireTime() != null) {
                renew = lease.getSpec().getAcquireTime().toInstant();
            }
            if (lease.getSpec().getLeaseDurationSeconds() != null) {
                duration = Duration.ofSeconds(lease.getSpec().getLeaseDurationSeconds());
            }
        }
        return new NodeLease(name, renew, duration, number(annotations.get(MEMORY_TOTAL_ANNOTATION)),
            number(annotations.get(MEMORY_FREE_ANNOTATION)), (int) number(annotations.get(CPUS_ANNOTATION)),
            annotations.get(HYPERVISOR_ANNOTATION));
    }

    /** Whether the agent renewed within the lease duration before {@code now}. */
    public boolean isFresh(Instant now) {
        return renewTime != null && !now.isAfter(renewTime.plus(leaseDuration));
    }

    public long memoryFreeMiB() {
        return MemorySize.ofBytes(memoryFreeBytes).mib();
    }

    private static long number(String value) {
        if (value == null) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
