package io.domainoperator.hypervisor.sim;

import java.time.Clock;
import java.util.Objects;

/** Configures a simulator; every setting has a default fit for unit tests (no latency, no faults). */
public final class SimulatorBuilder {
    long seed = 1;
    SimulatorLatencies latencies = SimulatorLatencies.NONE;
    SimulatorFaults faults = new SimulatorFaults();
    Clock clock = Clock.systemUTC();
    Sleeper sleeper = Sleeper.REAL;
    int hostCpus = 64;
    long hostMemoryBytes = 256L << 30;
    java.nio.file.Path stateFile;

    public SimulatorBuilder seed(long seed) {
        this.seed = seed;
        return this;
    }

    public SimulatorBuilder latencies(SimulatorLatencies latencies) {
        this.latencies = Objects.requireNonNull(latencies);
        return this;
    }

    public SimulatorBuilder faults(SimulatorFaults faults) {
        this.faults = Objects.requireNonNull(faults);
        return this;
    }

    /** Time for vCPU accounting, guest shutdowns and crashes. */
    public SimulatorBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock);
        return this;
    }

    public SimulatorBuilder sleeper(Sleeper sleeper) {
        this.sleeper = Objects.requireNonNull(sleeper);
        return this;
    }

    public SimulatorBuilder host(int cpus, long memoryBytes) {
        if (cpus < 1 || memoryBytes < 1) {
            throw new IllegalArgumentException("a host needs at least one CPU and some memory");
        }
        this.hostCpus = cpus;
        this.hostMemoryBytes = memoryBytes;
        return this;
    }

    /**
     * Keeps the domains for this file, so they outlive the process as real guests do (agent restart tests): for
     * {@code sim/domains.json}, one file per domain in {@code sim/domains.d/}; a {@code domains.json} of the old
     * single-file format is migrated there at start (see {@link SimulatorStateFile}).
     */
    public SimulatorBuilder stateFile(java.nio.file.Path file) {
        this.stateFile = file;
        return this;
    }

    public SimulatedHypervisor build() {
        return new SimulatedHypervisor(this);
    }
}
