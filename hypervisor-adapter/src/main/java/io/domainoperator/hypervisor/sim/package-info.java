/**
 * The simulator backend: {@link io.domainoperator.hypervisor.sim.SimulatedHypervisor}, in-memory and seeded, with
 * per-operation latencies ({@link io.domainoperator.hypervisor.sim.SimulatorLatencies}) spent through an injected
 * {@link io.domainoperator.hypervisor.sim.Sleeper} and fault switches
 * ({@link io.domainoperator.hypervisor.sim.SimulatorFaults}). For scale benchmarks, chaos tests and
 * {@code --hypervisor=sim} demos; never chosen automatically.
 *
 * <p>Wiring for a demo: {@code SimulatedHypervisor.builder().seed(seed).latencies(SimulatorLatencies.realistic()).build()}.
 */
package io.domainoperator.hypervisor.sim;
