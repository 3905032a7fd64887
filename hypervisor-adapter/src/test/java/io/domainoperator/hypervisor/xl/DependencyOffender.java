package io.domainoperator.hypervisor.xl;

/**
 * Breaks {@code BackendDependencyTest}'s rules from inside this backend's package on purpose, so the test can
 * show each rule fires. Test code only: the rules check {@code src/main}.
 */
@SuppressWarnings("unused")
final class DependencyOffender {
    Object[] knowsTheOtherBackends() {
        return new Object[] {io.domainoperator.hypervisor.qemu.QemuHypervisor.class, io.domainoperator.hypervisor.sim.SimulatorFaults.class};
    }
}
