package io.domainoperator.hypervisor.qemu;

import io.domainoperator.hypervisor.DomainDefinition;
import io.domainoperator.hypervisor.MemorySize;

/**
 * The cgroup memory limit of a domain's QEMU: the guest's maximum memory plus what QEMU itself needs (device
 * models, TCG's translation cache, I/O buffers), so the limit catches a runaway QEMU, not a busy guest.
 */
final class QemuMemoryLimit {
    /** QEMU's own memory beyond the guest's, allowed by the cgroup limit. */
    static final long QEMU_OVERHEAD_MIB = 256;
    /** TCG's translation cache ({@code -accel tcg,tb-size}), within {@link #QEMU_OVERHEAD_MIB}. */
    static final int TCG_TRANSLATION_CACHE_MIB = 64;

    private QemuMemoryLimit() {
    }

    static long bytes(DomainDefinition definition) {
        return definition.maxMemory().bytes() + MemorySize.ofMiB(QEMU_OVERHEAD_MIB).bytes();
    }
}
