package io.domainoperator.hypervisor;

/**
 * The node (dom0) as a whole.
 *
 * @param cpus              physical CPUs available to domains
 * @param totalMemoryBytes  memory the hypervisor manages
 * @param freeMemoryBytes   memory not given to any domain
 * @param cpuTimeNanos      CPU time consumed by the host (dom0) itself
 */
public record HostInfo(int cpus, long totalMemoryBytes, long freeMemoryBytes, long cpuTimeNanos) {
}
