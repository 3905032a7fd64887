package io.domainoperator.controller.agent;

import io.domainoperator.hypervisor.sim.SimulatorFaults;
import io.domainoperator.hypervisor.sim.SimulatorLatencies;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How {@code --hypervisor sim} behaves: each operation's latency ({@code --sim-latency}), the calls armed to hang
 * ({@code --sim-hang}) and the host's memory ({@code --sim-host-memory}), so a benchmark or a demo on the agent
 * process sees the node it wants to imitate.
 */
public record SimulatorSetup(SimulatorLatencies latencies, List<Hang> hangs, long hostMemoryMiB) {
    /** The simulated host's memory when none is given: room for every example and test fleet. */
    public static final long DEFAULT_HOST_MEMORY_MIB = 256L * 1024;
    /** Roughly a small xl node, no hang: what {@code --hypervisor sim} has always been. */
    public static final SimulatorSetup REALISTIC = new SimulatorSetup(SimulatorLatencies.realistic(), List.of());

    public SimulatorSetup {
        Objects.requireNonNull(latencies, "latencies");
        hangs = List.copyOf(hangs);
        if (hostMemoryMiB < 1) {
            throw new IllegalArgumentException("--sim-host-memory is " + hostMemoryMiB + " MiB; give a positive size");
        }
    }

    /** With the default host memory. */
    public SimulatorSetup(SimulatorLatencies latencies, List<Hang> hangs) {
        this(latencies, hangs, DEFAULT_HOST_MEMORY_MIB);
    }

    /** The calls of the simulator that can be made to hang. */
    public enum HangingCall {
        /** the first list that finds the domain */
        LIST,
        /** the domain's next shutdown request */
        SHUTDOWN
    }

    /** One call of one domain (its hypervisor name) that hangs for {@code duration}, once. */
    public record Hang(HangingCall call, String domain, Duration duration) {
    }

    /** Arms the hangs on a simulator's fault switches. */
    public SimulatorFaults arm(SimulatorFaults faults) {
        for (Hang h : hangs) {
            switch (h.call()) {
                case LIST -> faults.hangListOnce(h.domain(), h.duration());
                case SHUTDOWN -> faults.hangShutdownOnce(h.domain(), h.duration());
            }
        }
        return faults;
    }
}
