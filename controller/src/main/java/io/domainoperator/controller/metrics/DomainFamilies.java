package io.domainoperator.controller.metrics;

import io.domainoperator.hypervisor.DomainInfo;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.registry.PrometheusScrapeRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The per-domain families (vCPUs, memory, maximum memory, CPU time, restarts, phase), rendered from the agent's own
 * state at scrape time by one collector, instead of six Micrometer meters per domain (6,000 at 1,000 domains, each
 * snapshotted on every scrape). Each domain holds its data points ready: a poll or a transition replaces only the
 * points whose value changed, and a scrape gathers the held points into one list per family, allocating nothing per
 * domain. Names, labels, help texts and types are those the Micrometer meters had, so the chart's dashboards,
 * recording rules and promtool tests read the same series.
 */
final class DomainFamilies implements MultiCollector {
    private static final MetricMetadata VCPUS = new MetricMetadata("domainoperator_domain_vcpus",
        "Online virtual CPUs of the domain");
    private static final MetricMetadata MEMORY = new MetricMetadata("domainoperator_domain_memory_bytes",
        "Memory allocated to the domain");
    private static final MetricMetadata MEMORY_MAX = new MetricMetadata("domainoperator_domain_memory_max_bytes",
        "Maximum memory of the domain");
    private static final MetricMetadata CPU = new MetricMetadata("domainoperator_domain_cpu_seconds",
        "vCPU time consumed by the domain, all vCPUs");
    private static final MetricMetadata RESTARTS = new MetricMetadata("domainoperator_domain_restarts",
        "Restarts of the domain after a crash, reboot or poweroff whose policy is Restart");
    private static final MetricMetadata PHASE = new MetricMetadata("domainoperator_domain_phase",
        "1 for the domain's current phase (status.phase)");

    /** The same families as held exposition lines, which the agent's /metrics writes as they are ({@link FamilyLines}). */
    private final FamilyLines vcpusLines = lines(VCPUS, "gauge");
    private final FamilyLines memoryLines = lines(MEMORY, "gauge");
    private final FamilyLines memoryMaxLines = lines(MEMORY_MAX, "gauge");
    private final FamilyLines cpuLines = lines(CPU, "counter");
    private final FamilyLines restartsLines = lines(RESTARTS, "counter");
    private final FamilyLines phaseLines = lines(PHASE, "gauge");

    private final String node;
    /** What the last poll saw of each domain (key "namespace/name"). */
    private final Map<String, Observed> observed = new ConcurrentHashMap<>();
    private final Map<String, CounterDataPointSnapshot> restarts = new ConcurrentHashMap<>();
    private final Map<String, GaugeDataPointSnapshot> phases = new ConcurrentHashMap<>();

    /**
     * Bumped when a family's points change: a scrape rebuilds only the families that changed since the last one (the
     * gauges rarely do; the CPU counter of running domains moves every poll). A family snapshot validates its points'
     * labels when built, which at 1,000 domains was most of a scrape's cost.
     */
    private final java.util.concurrent.atomic.AtomicLong gaugesVersion = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong cpuVersion = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong restartsVersion = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong phasesVersion = new java.util.concurrent.atomic.AtomicLong();
    private volatile Built gauges = new Built(-1, List.of());
    private volatile Built cpu = new Built(-1, List.of());
    private volatile Built restartsBuilt = new Built(-1, List.of());
    private volatile Built phasesBuilt = new Built(-1, List.of());

    /** Family snapshots built at one version of their points. */
    private record Built(long version, List<MetricSnapshot> families) {
    }

    DomainFamilies(String node) {
        this.node = node;
    }

    private static FamilyLines lines(MetricMetadata family, String type) {
        return new FamilyLines(family.getPrometheusName() + ("counter".equals(type) ? "_total" : ""), family.getHelp(), type);
    }

    /** One domain's points from the last poll; replaced whole when any value changes (they are immutable). */
    private record Observed(DomainInfo info, GaugeDataPointSnapshot vcpus, GaugeDataPointSnapshot memory,
                            GaugeDataPointSnapshot maxMemory, CounterDataPointSnapshot cpu) {
        boolean sameValues(DomainInfo i) {
            return info.vcpus() == i.vcpus() && info.memoryBytes() == i.memoryBytes()
                && info.maxMemoryBytes() == i.maxMemoryBytes() && info.cpuTimeNanos() == i.cpuTimeNanos();
        }
    }

    Labels labels(String key) {
        String[] nsName = key.split("/", 2);
        return Labels.of(DomainMetrics.DOMAIN_NAMESPACE, nsName[0], "name", nsName[1], "node", node);
    }

    /** The domain as the last poll saw it; costs a comparison when nothing changed. */
    void observed(String key, DomainInfo info) {
        Observed current = observed.get(key);
        if (current != null && current.sameValues(info)) {
            return;
        }
        Labels labels = current != null ? current.vcpus().getLabels() : labels(key);
        boolean vcpusSame = current != null && current.info().vcpus() == info.vcpus();
        boolean memorySame = current != null && current.info().memoryBytes() == info.memoryBytes();
        boolean maxMemorySame = current != null && current.info().maxMemoryBytes() == info.maxMemoryBytes();
        boolean cpuSame = current != null && current.info().cpuTimeNanos() == info.cpuTimeNanos();
        Observed next = new Observed(info,
            vcpusSame ? current.vcpus() : new GaugeDataPointSnapshot(info.vcpus(), labels, null),
            memorySame ? current.memory() : new GaugeDataPointSnapshot(info.memoryBytes(), labels, null),
            maxMemorySame ? current.maxMemory() : new GaugeDataPointSnapshot(info.maxMemoryBytes(), labels, null),
            cpuSame ? current.cpu() : new CounterDataPointSnapshot(info.cpuTimeNanos() / 1e9, labels, null, 0));
        observed.put(key, next);
        // The poller is the only caller (of this and vanished): the lines follow the points without a lock.
        if (!vcpusSame) {
            vcpusLines.put(key, labels, next.vcpus().getValue());
        }
        if (!memorySame) {
            memoryLines.put(key, labels, next.memory().getValue());
        }
        if (!maxMemorySame) {
            memoryMaxLines.put(key, labels, next.maxMemory().getValue());
        }
        if (!cpuSame) {
            cpuLines.put(key, labels, next.cpu().getValue());
        }
        boolean gaugesChanged = !(vcpusSame && memorySame && maxMemorySame);
        // After the points are in place: a scrape that sees the new version sees the new points.
        if (gaugesChanged) {
            gaugesVersion.incrementAndGet();
        }
        cpuVersion.incrementAndGet();
    }

    Collection<String> observedKeys() {
        return observed.keySet();
    }

    void vanished(String key) {
        if (observed.remove(key) != null) {
            for (FamilyLines family : List.of(vcpusLines, memoryLines, memoryMaxLines, cpuLines)) {
                family.remove(key);
            }
            gaugesVersion.incrementAndGet();
            cpuVersion.incrementAndGet();
        }
    }

    /** Adds to the domain's restart count; {@code by} 0 makes the series at 0 if it has none yet. */
    void restarted(String key, int by) {
        CounterDataPointSnapshot before = restarts.get(key);
        CounterDataPointSnapshot after = restarts.compute(key, (k, c) -> {
            if (c != null && by == 0) {
                return c;
            }
            // Under the key's lock (restarts and phases have many writers): the line matches the point.
            CounterDataPointSnapshot point = new CounterDataPointSnapshot((c == null ? 0 : c.getValue()) + by,
                c == null ? labels(k) : c.getLabels(), null, 0);
            restartsLines.put(k, point.getLabels(), point.getValue());
            return point;
        });
        if (after != before) {
            restartsVersion.incrementAndGet();
        }
    }

    long restarts(String key) {
        CounterDataPointSnapshot c = restarts.get(key);
        return c == null ? -1 : (long) c.getValue();
    }

    void forgetRestarts(String key) {
        boolean[] removed = {false};
        restarts.computeIfPresent(key, (k, c) -> {
            restartsLines.remove(k);
            removed[0] = true;
            return null;
        });
        if (removed[0]) {
            restartsVersion.incrementAndGet();
        }
    }

    /** The domain's phase; null forgets it. */
    void phase(String key, String phase) {
        if (phase == null) {
            boolean[] removed = {false};
            phases.computeIfPresent(key, (k, p) -> {
                phaseLines.remove(k);
                removed[0] = true;
                return null;
            });
            if (removed[0]) {
                phasesVersion.incrementAndGet();
            }
            return;
        }
        GaugeDataPointSnapshot before = phases.get(key);
        GaugeDataPointSnapshot after = phases.compute(key, (k, p) -> {
            if (p != null && phase.equals(p.getLabels().get("phase"))) {
                return p;
            }
            GaugeDataPointSnapshot point = new GaugeDataPointSnapshot(1, labels(k).add("phase", phase), null);
            phaseLines.put(k, point.getLabels(), point.getValue());
            return point;
        });
        if (after != before) {
            phasesVersion.incrementAndGet();
        }
    }

    Collection<String> phaseKeys() {
        return phases.keySet();
    }

    /** Every family as held lines, in the order collect() gives them (the agent's /metrics path). */
    void writeTo(OutputStream out) throws IOException {
        for (FamilyLines family : List.of(vcpusLines, memoryLines, memoryMaxLines, cpuLines, restartsLines, phaseLines)) {
            family.writeTo(out);
        }
    }

    /** Whether a registry scrape that includes these names builds snapshots; one that excludes them all builds none. */
    static boolean includesAny(Predicate<String> includedNames) {
        return Stream.of(VCPUS, MEMORY, MEMORY_MAX, CPU, RESTARTS, PHASE).map(MetricMetadata::getPrometheusName)
            .anyMatch(includedNames);
    }

    @Override
    public MetricSnapshots collect(Predicate<String> includedNames) {
        return includedNames == null || includesAny(includedNames) ? MultiCollector.super.collect(includedNames) : MetricSnapshots.of();
    }

    @Override
    public MetricSnapshots collect(Predicate<String> includedNames, PrometheusScrapeRequest request) {
        return includedNames == null || includesAny(includedNames) ? MultiCollector.super.collect(includedNames, request)
            : MetricSnapshots.of();
    }

    @Override
    public MetricSnapshots collect() {
        List<MetricSnapshot> families = new ArrayList<>(6);
        long v = gaugesVersion.get();
        if (gauges.version() != v) {
            gauges = new Built(v, observed.isEmpty() ? List.of() : List.of(
                new GaugeSnapshot(VCPUS, points(observed.values(), Observed::vcpus)),
                new GaugeSnapshot(MEMORY, points(observed.values(), Observed::memory)),
                new GaugeSnapshot(MEMORY_MAX, points(observed.values(), Observed::maxMemory))));
        }
        families.addAll(gauges.families());
        v = cpuVersion.get();
        if (cpu.version() != v) {
            cpu = new Built(v, observed.isEmpty() ? List.of()
                : List.of(new CounterSnapshot(CPU, points(observed.values(), Observed::cpu))));
        }
        families.addAll(cpu.families());
        v = restartsVersion.get();
        if (restartsBuilt.version() != v) {
            restartsBuilt = new Built(v, restarts.isEmpty() ? List.of()
                : List.of(new CounterSnapshot(RESTARTS, List.copyOf(restarts.values()))));
        }
        families.addAll(restartsBuilt.families());
        v = phasesVersion.get();
        if (phasesBuilt.version() != v) {
            phasesBuilt = new Built(v, phases.isEmpty() ? List.of()
                : List.of(new GaugeSnapshot(PHASE, List.copyOf(phases.values()))));
        }
        families.addAll(phasesBuilt.families());
        return new MetricSnapshots(families);
    }

    private static <P> List<P> points(Collection<Observed> domains, Function<Observed, P> point) {
        List<P> out = new ArrayList<>(domains.size());
        for (Observed d : domains) {
            out.add(point.apply(d));
        }
        return out;
    }
}
