/**
 * The Hypervisor port: {@link io.domainoperator.hypervisor.Hypervisor}, implemented by the backends in
 * {@code .xl}, {@code .qemu} and {@code .sim} (module {@code hypervisor-adapter}), and the values it speaks:
 * {@link io.domainoperator.hypervisor.DomainDefinition} in, {@link io.domainoperator.hypervisor.DomainInfo},
 * {@link io.domainoperator.hypervisor.DomainState} and {@link io.domainoperator.hypervisor.HostInfo} out,
 * amounts of memory as {@link io.domainoperator.hypervisor.MemorySize}.
 *
 * <p>The package spans three modules for now: the port ({@code hypervisor-port}), the host I/O seams
 * {@code CommandRunner} and {@code AtomicFiles} ({@code host-io}) and backend selection
 * ({@code HypervisorFactory}, {@code HostProbe} in {@code hypervisor-adapter}). The engine depends on the port
 * module only, so it sees the values and never a backend or a process.
 */
package io.domainoperator.hypervisor;
