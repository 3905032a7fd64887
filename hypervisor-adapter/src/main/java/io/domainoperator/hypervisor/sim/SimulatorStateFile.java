package io.domainoperator.hypervisor.sim;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.domainoperator.hypervisor.AtomicFiles;
import io.domainoperator.hypervisor.ShutdownReason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The simulator's domains on disk ({@code --sim-state FILE}), so that they outlive the agent process as real
 * guests outlive it: the restart-safety tests kill the agent and start another on the same node. Written
 * atomically after every change; a running guest's vCPU time restarts from the file's figure.
 */
final class SimulatorStateFile {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    private final Path file;
    private final Object writing = new Object();
    /** The change counter of the state last written. */
    private volatile long durable;

    SimulatorStateFile(Path file) {
        this.file = file;
    }

    /** One domain as stored; times as epoch milliseconds (null: none pending). */
    record Stored(int id, String name, UUID uuid, int vcpus, long memoryBytes, long maxMemoryBytes, boolean ours,
                  double load, String phase, String reason, long cpuNanos, Long shutdownAtMillis) {
    }

    record Snapshot(int nextId, List<Stored> domains) {
    }

    /** The simulator's state copied under its lock: its change counter, next id and domains. */
    record Captured(long version, int nextId, List<Stored> domains) {
        Captured(long version, int nextId, Collection<SimulatedDomain> domains) {
            this(version, nextId, domains.stream().map(SimulatorStateFile::stored).toList());
        }
    }

    /**
     * Returns once the state as of change {@code version} or a later one is on disk. One write at a time, of the
     * latest state: callers that wait meanwhile find their change written by it and return without a write of their own.
     */
    void saveAtLeast(long version, Supplier<Captured> capture) {
        if (durable >= version) {
            return;
        }
        synchronized (writing) {
            if (durable >= version) {
                return;
            }
            Captured c = capture.get();
            try {
                AtomicFiles.write(file, MAPPER.writeValueAsBytes(new Snapshot(c.nextId(), c.domains())));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the simulator's state " + file, e);
            }
            durable = c.version();
        }
    }

    private static Stored stored(SimulatedDomain d) {
        return new Stored(d.id, d.name, d.uuid, d.vcpus, d.memoryBytes, d.maxMemoryBytes, d.ours, d.load,
            d.phase.name(), d.reason.name(), d.cpuNanos, d.shutdownAt == null ? null : d.shutdownAt.toEpochMilli());
    }

    /** The stored domains, running ones accruing from {@code now}; empty when no file exists yet. */
    Snapshot load() {
        if (!Files.exists(file)) {
            return new Snapshot(1, List.of());
        }
        try {
            return MAPPER.readValue(file.toFile(), Snapshot.class);
        } catch (IOException e) {
            throw new UncheckedIOException("the simulator's state " + file + " is unreadable; move it aside to start empty", e);
        }
    }

    static SimulatedDomain revive(Stored s, Instant now) {
        SimulatedDomain d = new SimulatedDomain(s.id(), s.name(), s.uuid(), s.vcpus(), s.memoryBytes(), s.maxMemoryBytes(),
            s.ours(), s.load(), SimulatedDomain.Phase.valueOf(s.phase()));
        d.reason = ShutdownReason.valueOf(s.reason());
        d.cpuNanos = s.cpuNanos();
        if (d.phase == SimulatedDomain.Phase.RUNNING) {
            d.accruedUntil = now;
        }
        d.shutdownAt = s.shutdownAtMillis() == null ? null : Instant.ofEpochMilli(s.shutdownAtMillis());
        return d;
    }
}
