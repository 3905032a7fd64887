package io.domainoperator.hypervisor;

import java.util.Objects;

/**
 * vCPUs and memory at start and the most the guest may grow to. A maximum is null when the spec leaves it out:
 * the guest may then not grow, and an exported xl file leaves the key out too.
 *
 * @param maxVcpus  null: the start value
 * @param maxMemory null: the start value
 */
public record CpuMemory(int vcpus, Integer maxVcpus, MemorySize memory, MemorySize maxMemory) {
    public CpuMemory {
        Objects.requireNonNull(memory, "memory");
    }

    public int effectiveMaxVcpus() {
        return maxVcpus == null ? vcpus : maxVcpus;
    }

    public MemorySize effectiveMaxMemory() {
        return maxMemory == null ? memory : maxMemory;
    }
}
