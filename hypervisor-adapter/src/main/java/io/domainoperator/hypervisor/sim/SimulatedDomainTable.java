package io.domainoperator.hypervisor.sim;

import io.domainoperator.hypervisor.HypervisorException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulator's domains: the table by name, the memory they hold, the next domain id, and their copy on disk
 * ({@link SimulatorStateFile}). The table is its own lock: a caller holds {@code synchronized (table)} across a
 * read-decide-write, marks the domain it changed with {@link #changed(String)}, and calls {@link #makeDurable()} after
 * letting go, so that concurrent calls share one batch of writes instead of each writing under the lock. A batch
 * writes the domains changed since the one before, each to its own file, never the whole table.
 */
final class SimulatedDomainTable {
    private static final Logger LOG = LoggerFactory.getLogger(SimulatedDomainTable.class);

    private final Map<String, SimulatedDomain> domains = new LinkedHashMap<>();
    /** Sum of the domains' max memory, kept so that a create at scale does not walk every domain. */
    private long allocatedBytes;
    private int nextId = 1;
    /** Counts changes (written under the table's lock), so that each call waits only for a write that has its own. */
    private volatile long version;
    /** Names of the domains added, changed or removed since the last batch was taken. */
    private final Set<String> dirty = new LinkedHashSet<>();
    /** A create took an id since the last batch: the counter's file is written with it. */
    private boolean nextIdDirty;
    /** Where the domains are kept between agent processes; null: in memory only. */
    private final SimulatorStateFile stateFile;

    /** Reads the domains kept for {@code file} (null: none kept); running ones accrue vCPU time on from when written. */
    SimulatedDomainTable(Path file, Instant now) {
        this.stateFile = file == null ? null : new SimulatorStateFile(file);
        if (stateFile != null) {
            SimulatorStateFile.Loaded stored = stateFile.load();
            nextId = stored.nextId();
            // By id, the order they were created in, which list order and the seeded process loss draw from.
            stored.domains().forEach(d -> {
                SimulatedDomain domain = d.revive(now);
                domains.put(domain.name, domain);
                allocatedBytes += domain.maxMemoryBytes;
            });
            LOG.info("simulator: {} domain(s) from {}", stored.domains().size(), stateFile.directory());
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

    /** The id the next domain gets; ids are never reused while the table lives (nor across its files). */
    int takeId() {
        nextIdDirty = true;
        return nextId++;
    }

    /** Adds a domain; its file is written with the next batch (at once when the caller marks it {@link #changed}). */
    void add(SimulatedDomain domain) {
        domains.put(domain.name, domain);
        allocatedBytes += domain.maxMemoryBytes;
        dirty.add(domain.name);
    }

    /** Removes a domain; its file is deleted with the next batch (at once when the caller marks it {@link #changed}). */
    void remove(String name) {
        SimulatedDomain removed = domains.remove(name);
        if (removed != null) {
            allocatedBytes -= removed.maxMemoryBytes;
            dirty.add(name);
        }
    }

    /** Forgets every domain in memory, as a restarted hypervisor does; the files keep them until the next change. */
    void clear() {
        dirty.addAll(domains.keySet());
        domains.clear();
        allocatedBytes = 0;
    }

    /** The domain this operator created, its vCPU time brought up to {@code now}; a missing or foreign one is refused. */
    SimulatedDomain ours(String operation, String name, Instant now) {
        SimulatedDomain d = domains.get(name);
        if (d == null) {
            throw new HypervisorException(operation, name, "no such domain");
        }
        advance(d, now);
        return requireOurs(operation, d);
    }

    /**
     * Brings a domain up to {@code now}. vCPU time alone is not a change to write (the file has what it takes to work
     * it out again); a shutdown or crash that falls due is.
     */
    void advance(SimulatedDomain d, Instant now) {
        if (d.advance(now)) {
            changed(d.name);
        }
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

    /** Domain {@code name} changed (or was added or removed); the call that changed it calls {@link #makeDurable()}. */
    void changed(String name) {
        dirty.add(name);
        version++;
    }

    // --- outside the table's lock ---

    boolean contains(String name) {
        synchronized (this) {
            return domains.containsKey(name);
        }
    }

    /** Returns once this caller's change is on disk; concurrent callers share one batch of writes. */
    void makeDurable() {
        if (stateFile != null) {
            stateFile.saveAtLeast(version, this::takeBatch, this::putBack);
        }
    }

    /** Tells {@code listener} of each file written or deleted, for a test that counts them. */
    void onWrite(Consumer<Path> listener) {
        if (stateFile != null) {
            stateFile.onWrite(listener);
        }
    }

    private SimulatorStateFile.Batch takeBatch() {
        synchronized (this) {
            Map<String, StoredDomain> changes = new LinkedHashMap<>();
            for (String name : dirty) {
                SimulatedDomain d = domains.get(name);
                changes.put(name, d == null ? null : StoredDomain.of(d));
            }
            dirty.clear();
            Integer id = nextIdDirty ? nextId : null;
            nextIdDirty = false;
            return new SimulatorStateFile.Batch(version, id, changes);
        }
    }

    /** A batch that could not be written: its domains are written again with the next one, as they are by then. */
    private void putBack(SimulatorStateFile.Batch batch) {
        synchronized (this) {
            dirty.addAll(batch.domains().keySet());
            nextIdDirty |= batch.nextId() != null;
        }
    }
}
