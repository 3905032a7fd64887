package io.domainoperator.hypervisor.qemu;

import io.domainoperator.hypervisor.HostInfo;
import java.util.Collection;

/**
 * The QEMU host's free memory as memory admission (rule 11) must see it. A QEMU guest takes its RAM lazily, as it
 * touches it: right after a create, and for long after on an idle guest, /proc/meminfo's MemAvailable still counts
 * most of it as available, so two guests admitted in turn against MemAvailable alone can together promise more than
 * the host has. Xen, by contrast, allocates a domain's memory at create and {@code xl info}'s free_memory says so.
 *
 * <p>So the free figure is
 * <pre>  min(MemAvailable, MemTotal - HOST_RESERVE - sum of the maximum memory of every running QEMU of ours)</pre>
 * The second term promises each running guest its whole maximum (what its balloon or hotplug may grow to, as the
 * placement counts it), whether or not it touched it yet; the reserve keeps room for the host itself (kernel, the
 * agent, kubelet) and QEMU's own overhead beyond guest RAM, which MemAvailable alone accounts only as it happens.
 * The first term still wins when something outside our domains uses the memory.
 */
final class QemuHostMemory {
    /** Memory kept for the host and QEMU's overhead: 512 MiB, as OpenStack Nova's reserved_host_memory_mb. */
    static final long HOST_RESERVE_BYTES = 512L << 20;

    private QemuHostMemory() {
    }

    /** The host's CPUs, MemTotal, the free figure above and the host's CPU time. */
    static HostInfo hostInfo(ProcFs proc, Collection<QemuDomain> domains) {
        long[] memory = proc.memory();
        return new HostInfo(Runtime.getRuntime().availableProcessors(), memory[0],
            freeBytes(memory[0], memory[1], committedBytes(domains)), proc.hostBusyNanos());
    }

    /** The maximum memory of the domains whose QEMU runs (a domain whose QEMU is gone holds none). */
    static long committedBytes(Collection<QemuDomain> domains) {
        return domains.stream().filter(QemuDomain::processAlive)
            .mapToLong(d -> d.record().definition().maxMemory().bytes()).sum();
    }

    /**
     * @param totalBytes      MemTotal
     * @param availableBytes  MemAvailable
     * @param committedBytes  the sum of the maximum memory of the running domains of this backend
     * @return bytes a new domain may take, never below zero
     */
    static long freeBytes(long totalBytes, long availableBytes, long committedBytes) {
        long uncommitted = totalBytes - HOST_RESERVE_BYTES - committedBytes;
        return Math.max(0, Math.min(availableBytes, uncommitted));
    }
}
