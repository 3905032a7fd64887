/**
 * The QEMU backend of the {@link io.domainoperator.hypervisor.Hypervisor} port: real VMs without Xen.
 *
 * <p>Wiring (controller): {@code new QemuHypervisor(QemuOptions.defaults(stateDir), new ProcessCommandRunner())},
 * with {@code stateDir} persistent across agent restarts (e.g. /var/lib/domain-operator), optionally
 * {@link io.domainoperator.hypervisor.qemu.QemuOptions#withAccelerator} (auto, kvm, tcg),
 * {@link io.domainoperator.hypervisor.qemu.QemuOptions#withVifNetworking} (bridge, user) and
 * {@link io.domainoperator.hypervisor.qemu.QemuOptions#withQemuBinary}. Close it on shutdown: the QEMUs keep
 * running and the next agent re-attaches.
 *
 * <p>Layout: {@code <stateDir>/qemu/agent.lock} (one agent per state directory), {@code next-domain-id}, and per
 * domain {@code <name>/{qmp.sock,pid,console.log,domain.json,shutdown-reason}}.
 *
 * <p>Pieces: {@link io.domainoperator.hypervisor.qemu.QemuHypervisor} (the port), {@code QemuCommandLine} (spec to
 * argv, the mapping is documented there), {@link io.domainoperator.hypervisor.qemu.QmpClient} (QMP over a unix
 * socket), {@code QemuDomain} (one attached QEMU and its observed state), {@code QemuStates} (run states and
 * shutdown causes to Xen-style flags), {@code QemuStopper} (quit, then SIGKILL), {@code AcceleratorProbe}
 * (KVM by trying), {@code ProcFs} (vCPU thread times, host figures).
 */
package io.domainoperator.hypervisor.qemu;
