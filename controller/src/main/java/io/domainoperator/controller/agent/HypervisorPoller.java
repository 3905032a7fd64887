package io.domainoperator.controller.agent;

import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.HostInfo;
import io.domainoperator.hypervisor.Hypervisor;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * xenopsd's "this domain needs attention" signal: one batched {@link Hypervisor#listDomains()} per poll
 * interval, compared with the previous one; every domain whose state, id or existence changed is reported to
 * the listener (which requeues its DomainConfig). Reconcilers read the latest snapshot instead of calling the
 * hypervisor themselves, and ask for an immediate poll after each operation.
 */
public final class HypervisorPoller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HypervisorPoller.class);
    private final Hypervisor hypervisor;
    private final Consumer<Set<String>> onChanged;
    private final Consumer<Snapshot> onSnapshot;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().name("hypervisor-poller").daemon().factory());
    private volatile Snapshot snapshot = new Snapshot(Map.of(), null, false);
    private ScheduledFuture<?> task;

    /** One poll's result: domains by name, the host, and whether the poll succeeded. */
    public record Snapshot(Map<String, DomainInfo> domains, HostInfo host, boolean valid) {
        public Optional<DomainInfo> domain(String name) {
            return Optional.ofNullable(domains.get(name));
        }
    }

    public HypervisorPoller(Hypervisor hypervisor, Consumer<Set<String>> onChanged, Consumer<Snapshot> onSnapshot) {
        this.hypervisor = hypervisor;
        this.onChanged = onChanged;
        this.onSnapshot = onSnapshot;
    }

    public synchronized void start(Duration interval) {
        if (task != null) {
            task.cancel(false);
        }
        pollNow();
        task = timer.scheduleWithFixedDelay(this::pollQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    /** Lists the hypervisor now (after an operation) and notifies about what changed. */
    public synchronized Snapshot pollNow() {
        Snapshot previous = snapshot;
        List<DomainInfo> list = hypervisor.listDomains();
        HostInfo host;
        try {
            host = hypervisor.hostInfo();
        } catch (RuntimeException e) {
            host = previous.host();
        }
        Map<String, DomainInfo> byName = new HashMap<>();
        for (DomainInfo d : list) {
            byName.put(d.name(), d);
        }
        Snapshot next = new Snapshot(Map.copyOf(byName), host, true);
        snapshot = next;
        Set<String> changed = changedNames(previous.domains(), next.domains());
        onSnapshot.accept(next);
        if (!changed.isEmpty()) {
            onChanged.accept(changed);
        }
        return next;
    }

    private void pollQuietly() {
        try {
            pollNow();
        } catch (RuntimeException e) {
            LOG.warn("hypervisor poll failed: {}", e.getMessage());
        }
    }

    /** Names that appeared, vanished, or changed id, uuid or state. vCPU time and memory alone are no news. */
    static Set<String> changedNames(Map<String, DomainInfo> before, Map<String, DomainInfo> after) {
        Set<String> names = new java.util.HashSet<>(before.keySet());
        names.addAll(after.keySet());
        return names.stream().filter(n -> {
            DomainInfo a = before.get(n);
            DomainInfo b = after.get(n);
            return a == null || b == null || a.domainId() != b.domainId() || !Objects.equals(a.uuid(), b.uuid())
                || !a.state().equals(b.state()) || (a.cpuTimeNanos() == 0) != (b.cpuTimeNanos() == 0);
        }).collect(Collectors.toSet());
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
