package io.domainoperator.controller.probe;

import io.domainoperator.api.v1alpha1.ReadinessProbe;
import io.domainoperator.hypervisor.Hypervisor;
import io.domainoperator.reconciler.GuestReadiness;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each running domain's spec.readinessProbe on its period, off the reconcile threads, and tells the agent
 * when a verdict changes so that the domain is reconciled (its GuestReady condition written) at once. The reconcile
 * asks {@link #readiness} each pass: that registers the domain's current boot and probe, and answers with the last
 * verdict. A new boot (domain id) or a changed probe starts afresh; {@link #forget} stops probing.
 */
public final class GuestProber implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GuestProber.class);

    private final Hypervisor hypervisor;
    private final Consumer<String> onChange;
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(1,
        Thread.ofPlatform().name("guest-prober").daemon().factory());
    private final Map<String, Scheduled> targets = new ConcurrentHashMap<>();

    private record Scheduled(ProbeTarget target, ScheduledFuture<?> task) {
    }

    /**
     * @param onChange called with the DomainConfig key ({@code ns/name}) whose verdict changed
     */
    public GuestProber(Hypervisor hypervisor, Consumer<String> onChange) {
        this.hypervisor = hypervisor;
        this.onChange = onChange;
    }

    /** The verdict for the domain's boot {@code domainId} under {@code probe}, starting the probe if it is new. */
    public GuestReadiness readiness(String key, String domainName, int domainId, ReadinessProbe probe) {
        Scheduled current = targets.get(key);
        if (current != null && current.target().domainId() == domainId && Objects.equals(current.target().probe(), probe)) {
            return current.target().result();
        }
        Scheduled started = targets.compute(key, (k, existing) -> {
            if (existing != null && existing.target().domainId() == domainId && Objects.equals(existing.target().probe(), probe)) {
                return existing;
            }
            if (existing != null) {
                existing.task().cancel(false);
            }
            ProbeTarget target = new ProbeTarget(domainId, probe, () -> serialLog(domainName, domainId),
                () -> hypervisor.guestAgentSocket(domainName), hypervisor.backendName());
            ScheduledFuture<?> task = timer.scheduleWithFixedDelay(() -> probe(key, target),
                probe.initialDelayOrDefault() * 1000L, probe.periodOrDefault() * 1000L, TimeUnit.MILLISECONDS);
            LOG.info("{}: readiness probe started for domain {} (id {})", key, domainName, domainId);
            return new Scheduled(target, task);
        });
        return started.target().result();
    }

    /** The domain is not running, or has no probe any more. */
    public void forget(String key) {
        Scheduled gone = targets.remove(key);
        if (gone != null) {
            gone.task().cancel(false);
        }
    }

    private Optional<Path> serialLog(String domainName, int domainId) {
        return hypervisor.consoles(domainName, domainId).map(c -> c.serialLog()).map(Path::of);
    }

    private void probe(String key, ProbeTarget target) {
        try {
            if (target.probeOnce()) {
                LOG.info("{}: guest {} ({})", key, target.result().state() == GuestReadiness.State.READY ? "ready"
                    : "not ready", target.result().message());
                onChange.accept(key);
            }
        } catch (RuntimeException e) {
            LOG.warn("{}: readiness probe failed to run: {}", key, e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        targets.clear();
    }
}
