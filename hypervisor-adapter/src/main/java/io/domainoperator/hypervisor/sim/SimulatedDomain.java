package io.domainoperator.hypervisor.sim;

import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.DomainState;
import io.domainoperator.hypervisor.ShutdownReason;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** One simulated domain's mutable state; guarded by its {@link SimulatedHypervisor}'s lock. */
final class SimulatedDomain {
    enum Phase { PAUSED, RUNNING, SHUTDOWN, HALF_CREATED }

    final int id;
    final String name;
    final UUID uuid;
    /** Not final: a live resize changes them. */
    int vcpus;
    long memoryBytes;
    final long maxMemoryBytes;
    final boolean ours;
    /** Share of its vCPUs the guest keeps busy while running: fixed per domain, drawn from the seed. */
    final double load;

    Phase phase;
    ShutdownReason reason = ShutdownReason.NONE;
    long cpuNanos;
    /** Last time cpuNanos was brought up to date while running. */
    Instant accruedUntil;
    /** When a requested shutdown takes effect (only while the guest runs); null when none is pending. */
    Instant shutdownAt;
    /** When a random crash strikes (only while the guest runs); null when none is scheduled. */
    Instant crashAt;

    SimulatedDomain(int id, String name, UUID uuid, int vcpus, long memoryBytes, long maxMemoryBytes, boolean ours,
                    double load, Phase phase) {
        this.id = id;
        this.name = name;
        this.uuid = uuid;
        this.vcpus = vcpus;
        this.memoryBytes = memoryBytes;
        this.maxMemoryBytes = maxMemoryBytes;
        this.ours = ours;
        this.load = load;
        this.phase = phase;
    }

    /**
     * Brings the domain up to now: accrues vCPU time while running and fires a due shutdown or crash.
     *
     * @return whether a shutdown or crash fired (the domain stopped)
     */
    boolean advance(Instant now) {
        if (phase != Phase.RUNNING) {
            return false;
        }
        Instant event = earliest(shutdownAt, crashAt);
        if (event != null && !event.isAfter(now)) {
            accrue(event);
            stop(event.equals(crashAt) ? ShutdownReason.CRASH : ShutdownReason.POWEROFF);
            return true;
        }
        accrue(now);
        return false;
    }

    void start(Instant now) {
        phase = Phase.RUNNING;
        accruedUntil = now;
    }

    void pause(Instant now) {
        accrue(now);
        phase = Phase.PAUSED;
    }

    void stop(ShutdownReason why) {
        phase = Phase.SHUTDOWN;
        reason = why;
        shutdownAt = null;
        crashAt = null;
    }

    private void accrue(Instant until) {
        if (accruedUntil != null && until.isAfter(accruedUntil)) {
            long elapsed = Duration.between(accruedUntil, until).toNanos();
            cpuNanos += Math.max(1, Math.round(elapsed * vcpus * load));
        }
        accruedUntil = until;
    }

    private static Instant earliest(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isBefore(b) ? a : b;
    }

    DomainInfo info() {
        DomainState state = switch (phase) {
            case RUNNING -> DomainState.RUNNING;
            case PAUSED, HALF_CREATED -> DomainState.PAUSED;
            case SHUTDOWN -> DomainState.shutdown(reason);
        };
        return new DomainInfo(id, name, uuid, state, cpuNanos, vcpus, memoryBytes, maxMemoryBytes, ours);
    }
}
