package io.domainoperator.hypervisor.qemu;

/**
 * Breaks {@code BackendDependencyTest}'s rules from inside this backend's package on purpose, so the test can
 * show each rule fires. Test code only: the rules check {@code src/main}.
 */
@SuppressWarnings("unused")
final class DependencyOffender {
    Object[] knowsTheOtherBackends() {
        com.sun.jna.Native.getDefaultStringEncoding();
        return new Object[] {io.domainoperator.hypervisor.xl.XlSyntax.class, io.domainoperator.hypervisor.sim.SimulatorFaults.class};
    }
}
