package io.domainoperator.hypervisor.sim;

import io.domainoperator.hypervisor.DomainDefinition;
import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.HostInfo;
import io.domainoperator.hypervisor.MemorySize;
import io.domainoperator.hypervisor.Hypervisor;
import io.domainoperator.hypervisor.HypervisorException;
import io.domainoperator.hypervisor.ShutdownReason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-memory hypervisor for scale benchmarks, chaos tests and {@code --hypervisor=sim} demos: a stateful fake
 * with failure switches ({@link SimulatorFaults}), in the spirit of Flink's TestingFlinkService. Deterministic:
 * given the same seed, clock and sequence of calls it gives the same answers. Each operation first spends its
 * latency through the injected {@link Sleeper} (outside the lock, so slow operations on many domains overlap as
 * they would on a real node), then takes effect. vCPU time grows with the injected clock while a guest runs.
 */
public final class SimulatedHypervisor implements Hypervisor {
    private static final Logger LOG = LoggerFactory.getLogger(SimulatedHypervisor.class);

    private final SimulatorLatencies latencies;
    private final SimulatorFaults faults;
    private final Clock clock;
    private final Sleeper sleeper;
    private final int hostCpus;
    /** Changed at run time by {@link #hostMemory(long)}; read and written under the table's lock. */
    private long hostMemoryBytes;
    private final Instant started;
    /** The domains and their file; also the lock every call's effect is taken under. */
    private final SimulatedDomainTable table;
    /** Drawn from under the table's lock only, so that a seed gives the same run. */
    private final Random random;

    SimulatedHypervisor(SimulatorBuilder b) {
        this.latencies = b.latencies;
        this.faults = b.faults;
        this.clock = b.clock;
        this.sleeper = b.sleeper;
        this.hostCpus = b.hostCpus;
        this.hostMemoryBytes = b.hostMemoryBytes;
        this.random = new Random(b.seed);
        this.started = clock.instant();
        this.table = new SimulatedDomainTable(b.stateFile, started);
    }

    public static SimulatorBuilder builder() {
        return new SimulatorBuilder();
    }

    /** The fault switches, to flip while the simulator runs. */
    public SimulatorFaults faults() {
        return faults;
    }

    @Override
    public String backendName() {
        return "sim";
    }

    @Override
    public List<DomainInfo> listDomains() {
        spend("list", "?", latencies.list());
        faults.takeListHang(table::contains).ifPresent(hang -> {
            LOG.info("list hangs for {} on domain {} (SimulatorFaults)", hang.getValue(), hang.getKey());
            faults.count("list-hang");
            spend("list", hang.getKey(), hang.getValue());
        });
        try {
            synchronized (table) {
                Instant now = clock.instant();
                table.all().forEach(d -> table.advance(d, now));
                if (faults.processLossPerPoll() > 0 && !table.all().isEmpty() && random.nextDouble() < faults.processLossPerPoll()) {
                    List<String> names = table.names();
                    String lost = names.get(random.nextInt(names.size()));
                    LOG.info("process-loss {}: the simulator forgets the domain", lost);
                    faults.count("process-loss");
                    table.remove(lost);
                    table.changed(lost);
                }
                return table.all().stream().map(SimulatedDomain::info)
                    .sorted(Comparator.comparingInt(DomainInfo::domainId)).toList();
            }
        } finally {
            table.makeDurable();
        }
    }

    /** One domain, at a list's latency; a hung list (a fault on the whole list) does not hold it. */
    @Override
    public java.util.Optional<DomainInfo> look(String name) {
        spend("list", name, latencies.list());
        try {
            synchronized (table) {
                return java.util.Optional.ofNullable(table.get(name)).map(d -> {
                    table.advance(d, clock.instant());
                    return d.info();
                });
            }
        } finally {
            table.makeDurable();
        }
    }

    @Override
    public DomainInfo createPaused(DomainDefinition definition) {
        String name = definition.name();
        spend("create", name, latencies.create());
        try {
            synchronized (table) {
                SimulatedDomain existing = table.get(name);
                if (existing != null) {
                    throw new HypervisorException("create", name, existing.ours
                        ? "a domain of ours with this name exists already (domid " + existing.id + "); destroy it first"
                        : "a foreign domain with this name exists (domid " + existing.id + "); the operator will not touch it");
                }
                // Draw every random number on every create, so that one fault switch does not shift the others' dice.
                boolean randomFailure = random.nextDouble() < faults.createFailureProbability();
                boolean randomHalf = random.nextDouble() < faults.halfCreateProbability();
                double load = 0.05 + 0.95 * random.nextDouble();
                if (faults.failsCreate(name) || randomFailure) {
                    faults.count("create-failure");
                    throw new HypervisorException("create", name, "simulated create failure (SimulatorFaults)");
                }
                MemorySize maxMemory = definition.maxMemory();
                MemorySize free = MemorySize.ofBytes(freeMemory());
                if (maxMemory.compareTo(free) > 0) {
                    throw new HypervisorException("create", name, "not enough free memory: needs " + maxMemory
                        + ", " + free.mib() + " MiB free");
                }
                boolean half = faults.halfCreates(name) || randomHalf;
                SimulatedDomain domain = new SimulatedDomain(table.takeId(), name, definition.uuid(), definition.cpuMemory().vcpus(),
                    definition.memory().bytes(), maxMemory.bytes(), true, load,
                    half ? SimulatedDomain.Phase.HALF_CREATED : SimulatedDomain.Phase.PAUSED);
                table.add(domain);
                table.changed(name);
                if (half) {
                    faults.count("half-create");
                    throw new HypervisorException("create", name, "simulated failure half-way through create: domain "
                        + domain.id + " is left paused with no vCPU time (SimulatorFaults)");
                }
                LOG.debug("create {}: domid {}", name, domain.id);
                return domain.info();
            }
        } finally {
            table.makeDurable();
        }
    }

    @Override
    public void unpause(String name) {
        spend("unpause", name, latencies.unpause());
        try {
            synchronized (table) {
                SimulatedDomain d = table.ours("unpause", name, clock.instant());
                failAtRandom("unpause", name);
                switch (d.phase) {
                    case HALF_CREATED -> throw new HypervisorException("unpause", name, "domain was not fully built; destroy it");
                    case SHUTDOWN -> throw new HypervisorException("unpause", name, "domain has shut down (" + d.reason + "); destroy it");
                    case PAUSED -> {
                        d.start(clock.instant());
                        if (faults.crashesPerHour() > 0 && d.crashAt == null) {
                            double hours = -Math.log(1 - random.nextDouble()) / faults.crashesPerHour();
                            d.crashAt = clock.instant().plus(Duration.ofNanos((long) Math.min(hours * 3.6e12, Long.MAX_VALUE / 2.0)));
                        }
                    }
                    case RUNNING -> {
                        // already running: xl unpause on a running domain is a no-op too
                    }
                }
                table.changed(name);
            }
        } finally {
            table.makeDurable();
        }
    }

    /** Applies at once, as xl vcpu-set/mem-set do; memory above the domain's maximum is refused as Xen does. */
    @Override
    public void resizeLive(String name, int vcpus, int memoryMiB) {
        try {
            synchronized (table) {
                SimulatedDomain d = table.ours("resizeLive", name, clock.instant());
                long bytes = memoryMiB * 1024L * 1024L;
                if (vcpus < 1 || bytes > d.maxMemoryBytes) {
                    throw new HypervisorException("resizeLive", name, "cannot set " + vcpus + " vCPUs and " + memoryMiB
                        + " MiB: the domain's maximum memory is " + d.maxMemoryBytes / (1024 * 1024) + " MiB");
                }
                table.advance(d, clock.instant());
                d.vcpus = vcpus;
                d.memoryBytes = bytes;
                table.changed(name);
            }
        } finally {
            table.makeDurable();
        }
    }

    @Override
    public void pause(String name) {
        spend("pause", name, latencies.pause());
        try {
            synchronized (table) {
                SimulatedDomain d = table.ours("pause", name, clock.instant());
                table.advance(d, clock.instant());
                if (d.phase == SimulatedDomain.Phase.RUNNING) {
                    d.pause(clock.instant());
                }
                table.changed(name);
            }
        } finally {
            table.makeDurable();
        }
    }

    @Override
    public void requestShutdown(String name) {
        spend("shutdown", name, latencies.shutdownRequest());
        faults.takeShutdownHang(name).ifPresent(hang -> {
            LOG.info("shutdown {} hangs for {} (SimulatorFaults)", name, hang);
            faults.count("shutdown-hang");
            spend("shutdown", name, hang);
        });
        try {
            synchronized (table) {
                SimulatedDomain d = table.ours("shutdown", name, clock.instant());
                failAtRandom("shutdown", name);
                if (faults.ignoresShutdown(name)) {
                    faults.count("shutdown-ignored");
                    LOG.debug("shutdown {}: the guest ignores it (SimulatorFaults)", name);
                    return;
                }
                if (d.shutdownAt == null && d.phase != SimulatedDomain.Phase.SHUTDOWN) {
                    d.shutdownAt = clock.instant().plus(latencies.guestShutdown());
                }
                table.changed(name);
            }
        } finally {
            table.makeDurable();
        }
    }

    @Override
    public void destroy(String name) {
        spend("destroy", name, latencies.destroy());
        try {
            synchronized (table) {
                SimulatedDomain d = table.get(name);
                if (d == null) {
                    return;
                }
                SimulatedDomainTable.requireOurs("destroy", d);
                failAtRandom("destroy", name);
                table.remove(name);
                table.changed(name);
            }
        } finally {
            table.makeDurable();
        }
    }

    @Override
    public HostInfo hostInfo() {
        spend("info", "host", latencies.hostInfo());
        synchronized (table) {
            long hostNanos = Duration.between(started, clock.instant()).toNanos() / 50; // dom0 idles at 2% of a CPU
            return new HostInfo(hostCpus, hostMemoryBytes, freeMemory(), Math.max(0, hostNanos));
        }
    }

    // --- what a guest or the world does on its own, for tests and chaos runs ---

    /**
     * The domains as they are now, for an observer beside the agent (a chaos run's invariant checks): no latency,
     * no fault, no hang taken, time not advanced.
     */
    public List<DomainInfo> peek() {
        synchronized (table) {
            return table.all().stream().map(SimulatedDomain::info).toList();
        }
    }

    /** The guest crashes now. */
    public void crash(String name) {
        guestStops(name, ShutdownReason.CRASH);
    }

    /** The guest powers itself off now. */
    public void powerOff(String name) {
        guestStops(name, ShutdownReason.POWEROFF);
    }

    /** The guest reboots now: with on_reboot=preserve the domain shows reason REBOOT until the operator acts. */
    public void reboot(String name) {
        guestStops(name, ShutdownReason.REBOOT);
    }

    /** Process loss: the hypervisor forgets the domain (its QEMU died, the node's toolstack state was wiped). */
    public void loseDomain(String name) {
        try {
            synchronized (table) {
                table.remove(name);
                table.changed(name); // gone for good: a restarted agent does not find it either
            }
        } finally {
            table.makeDurable();
        }
    }

    /** Process loss for every domain at once, e.g. the whole hypervisor restarted. */
    public void loseAllDomains() {
        synchronized (table) {
            table.clear();
        }
    }

    /**
     * The memory the host gives domains changes now, as when dom0 balloons or another tool's allocation comes and
     * goes: creates and {@link #hostInfo()} see the new figure (the node agent's memory admission, rule 11).
     */
    public void hostMemory(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("host memory must be positive, was " + bytes);
        }
        synchronized (table) {
            hostMemoryBytes = bytes;
        }
    }

    /** A domain someone else created: listed with ours=false, and never touched by the operator's calls. */
    public DomainInfo addForeignDomain(String name, int vcpus, int memoryMiB) {
        synchronized (table) {
            if (table.get(name) != null) {
                throw new IllegalStateException(name + " exists already");
            }
            SimulatedDomain d = new SimulatedDomain(table.takeId(), name, new UUID(random.nextLong(), random.nextLong()), vcpus,
                MemorySize.ofMiB(memoryMiB).bytes(), MemorySize.ofMiB(memoryMiB).bytes(), false, 0.5, SimulatedDomain.Phase.PAUSED);
            d.start(clock.instant());
            table.add(d);
            return d.info();
        }
    }

    private void guestStops(String name, ShutdownReason reason) {
        try {
            synchronized (table) {
                SimulatedDomain d = table.get(name);
                if (d == null) {
                    throw new IllegalArgumentException("no simulated domain " + name);
                }
                table.advance(d, clock.instant());
                d.pause(clock.instant()); // stop accruing
                d.stop(reason);
                table.changed(name);
            }
        } finally {
            table.makeDurable();
        }
    }

    /** Tells {@code listener} of each state file written or deleted (a test counts them); none without a state file. */
    void onStateWrite(java.util.function.Consumer<java.nio.file.Path> listener) {
        table.onWrite(listener);
    }

    /** Under the lock: fails the call before its effect with {@link SimulatorFaults#operationFailureProbability}. */
    private void failAtRandom(String operation, String name) {
        double p = faults.operationFailureProbability();
        // No draw when the switch is off, so that runs without it keep their seeded sequence.
        if (p > 0 && random.nextDouble() < p) {
            faults.count(operation + "-failure");
            throw new HypervisorException(operation, name, "simulated " + operation + " failure (SimulatorFaults)");
        }
    }

    private long freeMemory() {
        return Math.max(0, hostMemoryBytes - table.allocatedBytes());
    }

    private void spend(String operation, String name, Duration latency) {
        if (latency.isZero()) {
            return;
        }
        try {
            sleeper.sleep(latency);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HypervisorException(operation, name, "interrupted", e);
        }
    }
}
