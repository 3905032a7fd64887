package io.domainoperator.controller;

/**
 * What integration test classes running in parallel (two at a time, see the failsafe configuration in the pom) must
 * not use at once; classes name them in {@code @ResourceLock}.
 */
public final class TestResources {
    /**
     * Real QEMU guests: under TCG each boot takes the better part of a core, and every agent on this host puts its
     * QEMUs in the same cgroup tree ({@code domain-operator/<domain name>}), where the classes' names meet.
     */
    public static final String QEMU_GUESTS = "domainoperator.qemu-guests";
    /**
     * The README's default metrics port, 9464, which the README's launcher runs take when it is free: two of them
     * at once could both find it free, and the second would fail to bind it.
     */
    public static final String README_METRICS_PORT = "domainoperator.readme-metrics-port";

    private TestResources() {
    }
}
