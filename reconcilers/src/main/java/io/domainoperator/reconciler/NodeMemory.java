package io.domainoperator.reconciler;

import io.domainoperator.api.v1alpha1.DomainConfigSpec;

/**
 * The node's memory as the agent sees it when it decides for one domain (rule 11): what the hypervisor reports
 * free, and what is already promised to other domains of ours that are being started (created, or about to be,
 * but not yet visible in the free figure).
 *
 * @param freeBytes     free memory the backend reported in its last poll ({@code HostInfo.freeMemoryBytes})
 * @param reservedBytes memory of other domains this agent is starting and the hypervisor does not count yet
 * @param known         false when the backend could not say (no poll yet, {@code xl info} failed): every boot is
 *                      admitted and the backend's own check decides, as before rule 11
 */
public record NodeMemory(long freeBytes, long reservedBytes, boolean known) {
    /** No figure from the backend: admit. */
    public static final NodeMemory UNKNOWN = new NodeMemory(0, 0, false);

    public NodeMemory {
        if (reservedBytes < 0) {
            throw new IllegalArgumentException("reservedBytes is " + reservedBytes + "; it cannot be negative");
        }
    }

    /**
     * Memory a domain of this spec needs on the node: its maximum (a balloon may grow to it), as the cluster
     * controller's placement counts it.
     */
    public static long neededBytes(DomainConfigSpec spec) {
        return spec.effectiveMaxMemoryMiB() * 1024L * 1024L;
    }

    public static NodeMemory of(long freeBytes, long reservedBytes) {
        return new NodeMemory(freeBytes, reservedBytes, true);
    }

    /** Memory a new domain may still take: free minus reserved, never below zero. */
    public long availableBytes() {
        return Math.max(0, freeBytes - reservedBytes);
    }

    /** Whether a domain needing {@code bytes} fits. The agent's reservation uses the same test as the engine. */
    public boolean fits(long bytes) {
        return !known || bytes <= availableBytes();
    }
}
