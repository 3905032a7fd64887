package io.domainoperator.controller.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The cluster controller's own metrics: {@code domainoperator_controller_placements_total} (domains placed on a
 * node), {@code domainoperator_controller_unplaced_domains{reason}} (domains no node takes now, by the first
 * reason of their NoFit, as a small closed set of reasons so that node and adapter names add no series),
 * {@code domainoperator_controller_leader} (1 on the replica that leads) and
 * {@code domainoperator_controller_webhook_admissions_total{result}} (allowed or denied DomainConfigs).
 */
public final class ControllerMetrics {
    /** The no-fit reasons, as labelled: Placement's messages start with these words. */
    public static final List<String> NO_FIT_REASONS = List.of("insufficient_memory", "missing_adapter",
        "adapter_not_assignable", "adapter_busy", "not_responding", "no_nodes", "other");
    private final Counter placements;
    private final Counter allowed;
    private final Counter denied;
    private final MultiGauge unplaced;
    private final Map<String, AtomicInteger> unplacedByReason = new TreeMap<>();

    public ControllerMetrics(MeterRegistry registry, BooleanSupplier leader) {
        placements = Counter.builder("domainoperator.controller.placements")
            .description("Domains the cluster controller placed on a node").register(registry);
        allowed = Counter.builder("domainoperator.controller.webhook.admissions").tag("result", "allowed")
            .description("DomainConfigs the admission webhook reviewed").register(registry);
        denied = Counter.builder("domainoperator.controller.webhook.admissions").tag("result", "denied")
            .description("DomainConfigs the admission webhook reviewed").register(registry);
        Gauge.builder("domainoperator.controller.leader", () -> leader.getAsBoolean() ? 1 : 0)
            .description("1 on the replica that leads (places domains), 0 on a standby").register(registry);
        unplaced = MultiGauge.builder("domainoperator.controller.unplaced.domains")
            .description("Domains no node can take now, by the first reason of their NoFit").register(registry);
        NO_FIT_REASONS.forEach(r -> unplacedByReason.put(r, new AtomicInteger()));
        publishUnplaced();
    }

    public void placed() {
        placements.increment();
    }

    public void admission(boolean wasAllowed) {
        (wasAllowed ? allowed : denied).increment();
    }

    /** The labels ({@link #firstReason}) of this pass's unplaced domains (replaces the previous pass's counts). */
    public synchronized void unplaced(List<String> firstReasons) {
        unplacedByReason.values().forEach(c -> c.set(0));
        firstReasons.forEach(r -> unplacedByReason.get(r).incrementAndGet());
        publishUnplaced();
    }

    /** The first reason of a NoFit message ("0/3 nodes fit: 2 insufficient memory (...), 1 ..."), as labelled. */
    public static String firstReason(String noFitMessage) {
        int colon = noFitMessage == null ? -1 : noFitMessage.indexOf(" nodes fit: ");
        if (colon < 0 || noFitMessage.startsWith("0/0 ")) {
            return "no_nodes";
        }
        String first = noFitMessage.substring(colon + " nodes fit: ".length()).replaceFirst("^\\d+ ", "");
        return reasonLabel(first);
    }

    /** Placement's message ("insufficient memory (need ...)", "adapter x busy (...)") to its label. */
    static String reasonLabel(String message) {
        if (message == null || message.isBlank()) {
            return "no_nodes";
        }
        String m = message.strip();
        if (m.startsWith("insufficient memory")) {
            return "insufficient_memory";
        }
        if (m.startsWith("missing adapter")) {
            return "missing_adapter";
        }
        if (m.startsWith("adapter ") && m.contains(" not assignable")) {
            return "adapter_not_assignable";
        }
        if (m.startsWith("adapter ") && m.contains(" busy")) {
            return "adapter_busy";
        }
        return m.startsWith("not responding") ? "not_responding" : "other";
    }

    private void publishUnplaced() {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        unplacedByReason.forEach((reason, n) -> rows.add(MultiGauge.Row.of(Tags.of("reason", reason), n.get())));
        unplaced.register(rows, true);
    }
}
