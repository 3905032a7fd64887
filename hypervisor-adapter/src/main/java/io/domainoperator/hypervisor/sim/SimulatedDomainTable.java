package io.domainoperator.hypervisor.sim;

import io.domainoperator.hypervisor.HypervisorException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulator's domains: the table by name, the memory they hold, the next domain id, and their copy on disk
 * ({@link SimulatorStateFile}). The table is its own lock: a caller holds {@code synchronized (table)} across a
 * read-decide-write, marks the change with {@link #changed()}, and calls {@link #makeDurable()} after letting go,
 * so that concurrent calls share one write of the whole table instead of each writing it under the lock.
 */
final class SimulatedDomainTable {
    private static final Logger LOG = LoggerFactory.getLogger(SimulatedDomainTable.class);

    private final Map<String, SimulatedDomain> domains = new LinkedHashMap<>();
    /** Sum of the domains' max memory, kept so that a create at scale does not walk every domain. */
    private long allocatedBytes;
    private int nextId = 1;
    /** Counts changes (written under the table's lock), so that each call waits only for a write that has its own. */
    private volatile long version;
    /** Where the domains are kept between agent processes; null: in memory only. */
    private final SimulatorStateFile stateFile;

    /** Reads the domains kept in {@code file} (null: none kept); running ones accrue vCPU time from {@code now}. */
    SimulatedDomainTable(Path file, Instant now) {
        this.stateFile = file == null ? null : new SimulatorStateFile(file);
        if (stateFile != null) {
            SimulatorStateFile.Snapshot stored = stateFile.load();
            nextId = stored.nextId();
            stored.domains().forEach(d -> add(SimulatorStateFile.revive(d, now)));
            LOG.info("simulator: {} domain(s) from {}", stored.domains().size(), file);
        }
    }

    // --- under the table's lock ---

    SimulatedDomain get(String name) {
        return domains.get(name);
    }

    Collection<SimulatedDomain> all() {
        return domains.values();
    }

    List<String> names() {
        return new ArrayList<>(domains.keySet());
    }

    /** The id the next domain gets; ids are never reused while the table lives (nor across its file). */
    int takeId() {
        return nextId++;
    }

    void add(SimulatedDomain domain) {
        domains.put(domain.name, domain);
        allocatedBytes += domain.maxMemoryBytes;
    }

    void remove(String name) {
        SimulatedDomain removed = domains.remove(name);
        if (removed != null) {
            allocatedBytes -= removed.maxMemoryBytes;
        }
    }

    /** Forgets every domain in memory, as a restarted hypervisor does; the file keeps them until the next change. */
    void clear() {
        domains.clear();
        allocatedBytes = 0;
    }

    /** The domain this operator created, its vCPU time brought up to {@code now}; a missing or foreign one is refused. */
    SimulatedDomain ours(String operation, String name, Instant now) {
        SimulatedDomain d = domains.get(name);
        if (d == null) {
            throw new HypervisorException(operation, name, "no such domain");
        }
        d.advance(now);
        return requireOurs(operation, d);
    }

    static SimulatedDomain requireOurs(String operation, SimulatedDomain d) {
        if (!d.ours) {
            throw new HypervisorException(operation, d.name, "domain " + d.id + " was not created by this operator; it is never touched");
        }
        return d;
    }

    long allocatedBytes() {
        return allocatedBytes;
    }

    /** The table changed; the call that changed it calls {@link #makeDurable()} before it returns. */
    void changed() {
        version++;
    }

    // --- outside the table's lock ---

    boolean contains(String name) {
        synchronized (this) {
            return domains.containsKey(name);
        }
    }

    /** Returns once this caller's change is on disk; concurrent callers share one write of the whole table. */
    void makeDurable() {
        if (stateFile != null) {
            stateFile.saveAtLeast(version, () -> {
                synchronized (this) {
                    return new SimulatorStateFile.Captured(version, nextId, domains.values());
                }
            });
        }
    }
}
