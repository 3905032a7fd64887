package io.domainoperator.hypervisor;

import java.util.UUID;

/**
 * One domain as the hypervisor reports it in a single poll.
 *
 * @param domainId          hypervisor domain id (Xen domid; QEMU backend: a stable per-process number)
 * @param name              domain name
 * @param uuid              domain uuid, null when the hypervisor does not know one
 * @param state             state flags and shutdown reason
 * @param cpuTimeNanos      total vCPU time consumed, all vCPUs
 * @param vcpus             online vCPUs
 * @param memoryBytes       memory currently allocated
 * @param maxMemoryBytes    maximum memory
 * @param ours              created by this operator (only these are ever touched)
 */
public record DomainInfo(int domainId, String name, UUID uuid, DomainState state, long cpuTimeNanos, int vcpus,
                         long memoryBytes, long maxMemoryBytes, boolean ours) {

    /** The xenopsd rule's test: paused with no vCPU time means creation never finished. */
    public boolean looksHalfCreated() {
        return state.paused() && cpuTimeNanos == 0 && !state.hasStopped() && !state.dying();
    }
}
