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

    private TestResources() {
    }
}
