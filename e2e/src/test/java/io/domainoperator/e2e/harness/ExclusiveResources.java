package io.domainoperator.e2e.harness;

/**
 * What test classes running in parallel (two at a time, see {@code junit-platform.properties}) must not use at
 * once; classes name them in {@code @ResourceLock}.
 */
public final class ExclusiveResources {
    /**
     * The local node's fixed names (bridge, DNAT chain, the record of its run) and the host settings it saves and
     * restores, iptables included: {@link LocalKubeNode} and anything else that saves and restores the host's
     * iptables.
     */
    public static final String LOCAL_KUBE_NODE = "domainoperator.local-kube-node";
    /**
     * Real QEMU guests: under TCG each boot takes the better part of a core, and every agent on this host puts
     * its QEMUs in the same cgroup tree ({@code domain-operator/<domain name>}), where the suites' names meet.
     */
    public static final String QEMU_GUESTS = "domainoperator.qemu-guests";
    /** The suite's podman storage, into which the project image is loaded. */
    public static final String PODMAN_STORAGE = "domainoperator.podman-storage";

    private ExclusiveResources() {}
}
