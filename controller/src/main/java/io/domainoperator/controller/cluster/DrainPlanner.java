package io.domainoperator.controller.cluster;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainMigration;
import io.domainoperator.api.v1alpha1.DomainPhase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Node drain: every domain on a node marked for maintenance (cordoned and labelled
 * {@value io.domainoperator.api.v1alpha1.MigrationConditions#MAINTENANCE_LABEL}{@code =true}) is moved off by a
 * DomainMigration the controller creates, at most {@code maxParallel} at a time fleet-wide. A domain that cannot move
 * live (it holds a passed-through adapter) is reported and left running: its DomainConfig decides (halt it, or set
 * spec.nodeName). Pure: the caller creates the migrations and records the events.
 */
public final class DrainPlanner {
    /** Prefix of the DomainMigrations drain creates (generateName). */
    public static final String PREFIX = "drain-";
    /** Label on a drain's DomainMigrations: the node drained. */
    public static final String DRAINED_NODE_LABEL = "domainoperator.io/drained-node";
    /** Drain migrations running at once, fleet-wide, when {@code --drain-parallel} is not given. */
    public static final int DEFAULT_PARALLEL = 2;
    /** A domain whose drain migration ended is not drained again for this long (see {@code hasMigration}). */
    static final Duration RETRY_AFTER = Duration.ofMinutes(1);

    private DrainPlanner() {
    }

    /**
     * @param toMigrate DomainConfigs to create a drain DomainMigration for now
     * @param blocked   DomainConfigs on a draining node that cannot move live, with why
     */
    public record Plan(List<DomainConfig> toMigrate, Map<DomainConfig, String> blocked) {
    }

    public static Plan plan(Set<String> draining, List<DomainConfig> domains, List<DomainMigration> migrations,
                            int maxParallel, Instant now) {
        if (draining.isEmpty()) {
            return new Plan(List.of(), Map.of());
        }
        long active = migrations.stream().filter(m -> m.getMetadata().getName().startsWith(PREFIX))
            .filter(m -> !terminal(m)).count();
        int slots = (int) Math.max(0, maxParallel - active);
        List<DomainConfig> toMigrate = new ArrayList<>();
        Map<DomainConfig, String> blocked = new java.util.LinkedHashMap<>();
        List<DomainConfig> onDraining = domains.stream()
            .filter(d -> d.getSpec() != null && draining.contains(d.getSpec().getNodeName()))
            .filter(d -> d.getMetadata().getDeletionTimestamp() == null)
            .sorted(Comparator.comparing(d -> d.getMetadata().getNamespace() + "/" + d.getMetadata().getName())).toList();
        for (DomainConfig d : onDraining) {
            if (d.getStatus() == null || d.getStatus().getPhase() != DomainPhase.Running) {
                continue; // nothing runs there to move; placement keeps new boots off a cordoned node's migrations
            }
            if (d.getSpec().getAdapters() != null && !d.getSpec().getAdapters().isEmpty()) {
                blocked.put(d, "holds passed-through adapter(s) " + String.join(", ", d.getSpec().getAdapters())
                    + ": not live-migratable; halt it or move it by setting spec.nodeName");
                continue;
            }
            if (hasMigration(d, migrations, now)) {
                continue;
            }
            if (slots > 0) {
                toMigrate.add(d);
                slots--;
            }
        }
        return new Plan(toMigrate, blocked);
    }

    /** An unfinished migration of the domain, or a drain migration of it that failed a short while ago. */
    private static boolean hasMigration(DomainConfig d, List<DomainMigration> migrations, Instant now) {
        for (DomainMigration m : migrations) {
            if (m.getSpec() == null || !Objects.equals(m.getMetadata().getNamespace(), d.getMetadata().getNamespace())
                || !Objects.equals(m.getSpec().getDomainConfig(), d.getMetadata().getName())) {
                continue;
            }
            if (!terminal(m)) {
                return true;
            }
            // A drain migration that just ended: failed, its cause rarely clears at once; succeeded, the DomainConfig
            // may still name the drained node in a lagging cache.
            String end = m.getStatus().getEndTime();
            if (m.getMetadata().getName().startsWith(PREFIX) && end != null && Instant.parse(end).plus(RETRY_AFTER).isAfter(now)) {
                return true;
            }
        }
        return false;
    }

    private static boolean terminal(DomainMigration m) {
        return m.getStatus() != null && m.getStatus().getPhase() != null && m.getStatus().getPhase().terminal();
    }
}
