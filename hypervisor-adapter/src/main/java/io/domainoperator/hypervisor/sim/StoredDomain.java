package io.domainoperator.hypervisor.sim;

import io.domainoperator.hypervisor.ShutdownReason;
import java.time.Instant;
import java.util.UUID;

/**
 * One simulated domain as {@link SimulatorStateFile} keeps it: the JSON of its own file, and an element of the old
 * single file's {@code domains} list. Times as epoch milliseconds or nanoseconds; null: none.
 *
 * @param accruedUntilNanos when {@code cpuNanos} was last brought up to date; a running guest revived from the file
 *     accrues vCPU time from there, so its figure never goes back after an agent restart and no list has to write it.
 *     Absent (null) in the old single file, whose running guests accrue from the moment they are revived.
 */
record StoredDomain(int id, String name, UUID uuid, int vcpus, long memoryBytes, long maxMemoryBytes, boolean ours,
                    double load, String phase, String reason, long cpuNanos, Long shutdownAtMillis, Long accruedUntilNanos) {

    static StoredDomain of(SimulatedDomain d) {
        return new StoredDomain(d.id, d.name, d.uuid, d.vcpus, d.memoryBytes, d.maxMemoryBytes, d.ours, d.load,
            d.phase.name(), d.reason.name(), d.cpuNanos, d.shutdownAt == null ? null : d.shutdownAt.toEpochMilli(),
            d.accruedUntil == null ? null : epochNanos(d.accruedUntil));
    }

    /**
     * The domain as it was written. A running guest accrues vCPU time from when it was written (from {@code now} when
     * the file does not say), and a pending shutdown that fell due meanwhile takes effect at its next look, as on a
     * real node where guests run on while the agent is down.
     */
    SimulatedDomain revive(Instant now) {
        if (name == null || uuid == null || phase == null || reason == null) {
            throw new IllegalArgumentException("name, uuid, phase and reason are required");
        }
        SimulatedDomain d = new SimulatedDomain(id, name, uuid, vcpus, memoryBytes, maxMemoryBytes, ours, load,
            SimulatedDomain.Phase.valueOf(phase));
        d.reason = ShutdownReason.valueOf(reason);
        d.cpuNanos = cpuNanos;
        d.shutdownAt = shutdownAtMillis == null ? null : Instant.ofEpochMilli(shutdownAtMillis);
        if (d.phase == SimulatedDomain.Phase.RUNNING) {
            d.accruedUntil = accruedUntilNanos == null ? now : Instant.EPOCH.plusNanos(accruedUntilNanos);
        }
        return d;
    }

    private static long epochNanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}
