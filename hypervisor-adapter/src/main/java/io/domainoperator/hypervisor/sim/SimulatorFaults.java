package io.domainoperator.hypervisor.sim;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Fault switches for one {@link SimulatedHypervisor}, flipped by tests and chaos runs while it runs. An object per
 * simulator, never static state, so parallel tests cannot see each other's faults. Probabilities are drawn from
 * the simulator's seeded random source, so a run is repeatable.
 */
public final class SimulatorFaults {
    private volatile double createFailureProbability;
    private final Set<String> failCreate = ConcurrentHashMap.newKeySet();
    private volatile double halfCreateProbability;
    private final Set<String> halfCreate = ConcurrentHashMap.newKeySet();
    private volatile boolean ignoreAllShutdowns;
    private final Set<String> ignoreShutdown = ConcurrentHashMap.newKeySet();
    private volatile double crashesPerHour;
    private volatile double processLossPerPoll;
    private final Map<String, Duration> shutdownHangs = new ConcurrentHashMap<>();
    private final Map<String, Duration> listHangs = new ConcurrentHashMap<>();
    private volatile double operationFailureProbability;
    /** Faults that took effect, by kind, for a chaos run's figures. */
    private final Map<String, AtomicLong> injected = new ConcurrentHashMap<>();

    /** Each create fails with this probability (the domain is not created). */
    public SimulatorFaults createFailureProbability(double probability) {
        this.createFailureProbability = probability(probability);
        return this;
    }

    /**
     * Each unpause, shutdown request and destroy fails with this probability before it takes effect, as an
     * {@code xl} or QMP call that errors out (creates have {@link #createFailureProbability}).
     */
    public SimulatorFaults operationFailureProbability(double probability) {
        this.operationFailureProbability = probability(probability);
        return this;
    }

    /** How many faults of each kind took effect so far (kinds: create-failure, unpause-failure, list-hang, ...). */
    public Map<String, Long> injected() {
        Map<String, Long> out = new java.util.TreeMap<>();
        injected.forEach((kind, n) -> out.put(kind, n.get()));
        return out;
    }

    /** Creating these domains always fails. */
    public SimulatorFaults failCreateFor(String... names) {
        failCreate.addAll(Set.of(names));
        return this;
    }

    /**
     * Each create fails half-way with this probability: it throws, and the domain stays behind paused with zero
     * vCPU time and cannot be unpaused (xenopsd's half-created domain), until destroyed.
     */
    public SimulatorFaults halfCreateProbability(double probability) {
        this.halfCreateProbability = probability(probability);
        return this;
    }

    public SimulatorFaults halfCreateFor(String... names) {
        halfCreate.addAll(Set.of(names));
        return this;
    }

    /** Guests ignore shutdown requests (no OS, hung ACPI): only destroy stops them. */
    public SimulatorFaults ignoreShutdowns(boolean ignore) {
        this.ignoreAllShutdowns = ignore;
        return this;
    }

    public SimulatorFaults ignoreShutdownFor(String... names) {
        ignoreShutdown.addAll(Set.of(names));
        return this;
    }

    /** Running guests crash at random at this mean rate (exponentially distributed, seeded). 0 turns it off. */
    public SimulatorFaults crashesPerHour(double rate) {
        if (rate < 0) {
            throw new IllegalArgumentException("crash rate cannot be negative: " + rate);
        }
        this.crashesPerHour = rate;
        return this;
    }

    /** Each listDomains forgets one random domain with this probability, as if its process died unseen. */
    public SimulatorFaults processLossPerPoll(double probability) {
        this.processLossPerPoll = probability(probability);
        return this;
    }

    /**
     * The next shutdown request to this domain hangs for {@code duration} before it takes effect, once: a guest
     * whose ACPI call or {@code xl shutdown} does not return. Only the caller waits; other domains' calls go on.
     */
    public SimulatorFaults hangShutdownOnce(String name, Duration duration) {
        shutdownHangs.put(name, hang(duration));
        return this;
    }

    /**
     * The first list that finds this domain hangs for {@code duration}, once: an {@code xl list} stuck on one
     * domain's xenstore entries, or a QMP query to one wedged QEMU. Its answer comes after the hang.
     */
    public SimulatorFaults hangListOnce(String name, Duration duration) {
        listHangs.put(name, hang(duration));
        return this;
    }

    /** Turns every fault off. */
    public SimulatorFaults clear() {
        createFailureProbability = 0;
        halfCreateProbability = 0;
        ignoreAllShutdowns = false;
        crashesPerHour = 0;
        processLossPerPoll = 0;
        operationFailureProbability = 0;
        failCreate.clear();
        halfCreate.clear();
        ignoreShutdown.clear();
        shutdownHangs.clear();
        listHangs.clear();
        return this;
    }

    double operationFailureProbability() {
        return operationFailureProbability;
    }

    void count(String kind) {
        injected.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
    }

    double createFailureProbability() {
        return createFailureProbability;
    }

    boolean failsCreate(String name) {
        return failCreate.contains(name);
    }

    double halfCreateProbability() {
        return halfCreateProbability;
    }

    boolean halfCreates(String name) {
        return halfCreate.contains(name);
    }

    boolean ignoresShutdown(String name) {
        return ignoreAllShutdowns || ignoreShutdown.contains(name);
    }

    double crashesPerHour() {
        return crashesPerHour;
    }

    double processLossPerPoll() {
        return processLossPerPoll;
    }

    /** The hang armed for this domain's next shutdown request, disarmed as it is taken. */
    Optional<Duration> takeShutdownHang(String name) {
        return Optional.ofNullable(shutdownHangs.remove(name));
    }

    /** The hang armed for a list that finds one of the domains {@code present} accepts, disarmed as it is taken. */
    Optional<Map.Entry<String, Duration>> takeListHang(Predicate<String> present) {
        for (String name : listHangs.keySet()) {
            if (present.test(name)) {
                Duration d = listHangs.remove(name);
                if (d != null) {
                    return Optional.of(Map.entry(name, d));
                }
            }
        }
        return Optional.empty();
    }

    private static Duration hang(Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("a hang lasts a positive time, got " + d);
        }
        return d;
    }

    private static double probability(double p) {
        if (p < 0 || p > 1) {
            throw new IllegalArgumentException("a probability is between 0 and 1, got " + p);
        }
        return p;
    }
}
