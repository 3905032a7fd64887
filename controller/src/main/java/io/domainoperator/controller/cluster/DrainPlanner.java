package io.domainoperator.controller.cluster;

import io.domainoperator.api.v1alpha1.Conditions;
import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainMigration;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.api.v1alpha1.DrainConditions;
import io.domainoperator.api.v1alpha1.DrainPolicy;
import io.domainoperator.api.v1alpha1.MigrationConditions;
import io.domainoperator.api.v1alpha1.MigrationPhase;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Node drain: every domain on a node marked for maintenance (cordoned and labelled
 * {@value io.domainoperator.api.v1alpha1.MigrationConditions#MAINTENANCE_LABEL}{@code =true}) is moved off by a
 * DomainMigration the controller creates, at most {@code maxParallel} moves at a time fleet-wide. A domain that cannot
 * move live (it holds a passed-through adapter, or its drain migration failed) follows its {@code spec.drainPolicy}:
 * LiveMigrate leaves it running and reports it blocked, HaltAndBootElsewhere and Halt halt it (the controller sets
 * spec.activate false and remembers it in the {@value DrainConditions#HALTED_BY_DRAIN_ANNOTATION} annotation); once
 * halted, HaltAndBootElsewhere unassigns it so placement boots it on another node, Halt keeps it there until the node
 * is uncordoned. Each domain concerned carries a {@value DrainConditions#DRAINING} condition saying where it is.
 * Pure: the caller makes the writes and records the events.
 */
public final class DrainPlanner {
    /** Prefix of the DomainMigrations drain creates (generateName). */
    public static final String PREFIX = "drain-";
    /** Label on a drain's DomainMigrations: the node drained. */
    public static final String DRAINED_NODE_LABEL = "domainoperator.io/drained-node";
    /** Drain migrations running at once, fleet-wide, when {@code --drain-parallel} is not given. */
    public static final int DEFAULT_PARALLEL = 2;
    /** A domain whose drain migration ended is not drained again for this long (see {@code lastDrain}). */
    static final Duration RETRY_AFTER = Duration.ofMinutes(1);

    private DrainPlanner() {
    }

    /**
     * @param toMigrate       DomainConfigs to create a drain DomainMigration for now
     * @param blocked         DomainConfigs on a draining node that cannot move live and stay (policy LiveMigrate), with why
     * @param toHalt          DomainConfigs to halt on their draining node (their policy), with why they cannot move live
     * @param toBootElsewhere DomainConfigs drain halted that placement should now boot on another node
     * @param toResume        DomainConfigs drain halted whose node is back in service: active again, where they are
     * @param draining        per DomainConfig key, the Draining condition it should carry; null: none
     */
    public record Plan(List<DomainConfig> toMigrate, Map<DomainConfig, String> blocked, Map<DomainConfig, String> toHalt,
                       List<DomainConfig> toBootElsewhere, List<DomainConfig> toResume, Map<String, Condition> draining) {
    }

    public static Plan plan(Set<String> draining, List<DomainConfig> domains, List<DomainMigration> migrations,
                            int maxParallel, Instant now) {
        List<DomainConfig> toMigrate = new ArrayList<>();
        Map<DomainConfig, String> blocked = new LinkedHashMap<>();
        Map<DomainConfig, String> toHalt = new LinkedHashMap<>();
        List<DomainConfig> toBootElsewhere = new ArrayList<>();
        List<DomainConfig> toResume = new ArrayList<>();
        Map<String, Condition> conditions = new LinkedHashMap<>();
        List<DomainConfig> sorted = domains.stream().filter(d -> d.getSpec() != null)
            .filter(d -> d.getMetadata().getDeletionTimestamp() == null)
            .sorted(Comparator.comparing(ClusterDecider::key)).toList();
        long active = migrations.stream().filter(m -> m.getMetadata().getName().startsWith(PREFIX))
            .filter(m -> !terminal(m)).count()
            + sorted.stream().filter(d -> haltedBy(d) != null && !halted(d)).count();
        int slots = (int) Math.max(0, maxParallel - active);
        for (DomainConfig d : sorted) {
            String key = ClusterDecider.key(d);
            String node = d.getSpec().getNodeName();
            String haltedOn = haltedBy(d);
            String policy = "spec.drainPolicy " + d.getSpec().drainPolicyOrDefault();
            if (haltedOn != null) {
                if (!draining.contains(haltedOn) || !haltedOn.equals(node)) {
                    toResume.add(d); // uncordoned (or moved by hand): drain gives spec.activate back
                } else if (!halted(d)) {
                    conditions.put(key, condition(Conditions.TRUE, DrainConditions.HALTING, "node " + node
                        + " is in maintenance and the domain cannot move live: halting it (" + policy + ")"));
                } else if (d.getSpec().drainPolicyOrDefault() == DrainPolicy.HaltAndBootElsewhere) {
                    toBootElsewhere.add(d); // unassigned, it leaves the node: no condition once off it
                } else {
                    conditions.put(key, condition(Conditions.FALSE, DrainConditions.HALTED_ON_NODE, "halted on node " + node
                        + ", which is in maintenance (" + policy + "); it boots there again once the node is uncordoned"));
                }
                continue;
            }
            if (node == null || !draining.contains(node) || d.getStatus() == null || d.getStatus().getPhase() != DomainPhase.Running) {
                continue; // nothing runs there to move; placement keeps new boots off a cordoned node
            }
            DomainMigration last = lastDrain(d, migrations);
            String cannot = cannotMoveLive(d, last);
            if (cannot != null) {
                if (d.getSpec().drainPolicyOrDefault() == DrainPolicy.LiveMigrate) {
                    blocked.put(d, cannot);
                    conditions.put(key, condition(Conditions.FALSE, DrainConditions.DRAIN_BLOCKED, "node " + node
                        + " is in maintenance, but " + cannot + "; it keeps running there (" + policy
                        + "; HaltAndBootElsewhere or Halt would halt it)"));
                } else if (slots > 0) {
                    toHalt.put(d, cannot);
                    slots--;
                    conditions.put(key, condition(Conditions.TRUE, DrainConditions.HALTING, "node " + node
                        + " is in maintenance and " + cannot + ": halting it (" + policy + ")"));
                } else {
                    conditions.put(key, waiting(node, maxParallel));
                }
                continue;
            }
            DomainMigration underWay = unfinished(d, migrations);
            if (underWay == null && recent(last, now) && last.getStatus().getPhase() == MigrationPhase.Failed) {
                conditions.put(key, condition(Conditions.FALSE, DrainConditions.DRAIN_BLOCKED, "node " + node
                    + " is in maintenance, but its live migration failed (DomainMigration " + last.getMetadata().getName()
                    + "); drain tries again " + RETRY_AFTER.toSeconds() + " s after it ended (" + policy + ")"));
            } else if (underWay != null || recent(last, now)) {
                DomainMigration shown = underWay != null ? underWay : last;
                conditions.put(key, condition(Conditions.TRUE, DrainConditions.MIGRATING_LIVE, "node " + node
                    + " is in maintenance: moving live (DomainMigration " + shown.getMetadata().getName() + ")"));
            } else if (slots > 0) {
                toMigrate.add(d);
                slots--;
                conditions.put(key, condition(Conditions.TRUE, DrainConditions.MIGRATING_LIVE, "node " + node
                    + " is in maintenance: moving live"));
            } else {
                conditions.put(key, waiting(node, maxParallel));
            }
        }
        return new Plan(toMigrate, blocked, toHalt, toBootElsewhere, toResume, conditions);
    }

    /** Why {@code d} cannot move live, or null when it can (or its last drain migration failed a while ago). */
    private static String cannotMoveLive(DomainConfig d, DomainMigration lastDrain) {
        if (d.getSpec().getAdapters() != null && !d.getSpec().getAdapters().isEmpty()) {
            return d.getMetadata().getName() + " holds passed-through adapter(s) " + String.join(", ", d.getSpec().getAdapters())
                + ": not live-migratable";
        }
        boolean failedLive = lastDrain != null && lastDrain.getStatus().getPhase() == MigrationPhase.Failed
            && lastDrain.getStatus().getHandoverTime() == null;
        if (failedLive && d.getSpec().drainPolicyOrDefault() != DrainPolicy.LiveMigrate) {
            var complete = lastDrain.getStatus().condition(MigrationConditions.COMPLETE);
            return "its live migration failed (DomainMigration " + lastDrain.getMetadata().getName()
                + (complete == null ? "" : ": " + complete.getMessage()) + ")";
        }
        return null;
    }

    private static Condition waiting(String node, int maxParallel) {
        return condition(Conditions.TRUE, DrainConditions.WAITING, "node " + node + " is in maintenance: waiting for one of "
            + "the " + maxParallel + " drain moves at a time (--drain-parallel) to end");
    }

    private static Condition condition(String status, String reason, String message) {
        return OwnedStatus.condition(DrainConditions.DRAINING, status, reason, message);
    }

    /** The node drain halted {@code d} on, or null. */
    static String haltedBy(DomainConfig d) {
        Map<String, String> annotations = d.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(DrainConditions.HALTED_BY_DRAIN_ANNOTATION);
    }

    private static boolean halted(DomainConfig d) {
        return d.getStatus() != null && d.getStatus().getPhase() == DomainPhase.Halted;
    }

    /** An unfinished migration of the domain, drain's or a user's. */
    private static DomainMigration unfinished(DomainConfig d, List<DomainMigration> migrations) {
        return migrations.stream().filter(m -> names(m, d) && !terminal(m)).findFirst().orElse(null);
    }

    /** The domain's ended drain migration with the latest end, or null. */
    private static DomainMigration lastDrain(DomainConfig d, List<DomainMigration> migrations) {
        return migrations.stream().filter(m -> names(m, d) && terminal(m) && m.getMetadata().getName().startsWith(PREFIX)
                && m.getStatus().getEndTime() != null)
            .max(Comparator.comparing(m -> m.getStatus().getEndTime())).orElse(null);
    }

    /**
     * A drain migration that just ended: failed, its cause rarely clears at once; succeeded, the DomainConfig may
     * still name the drained node in a lagging cache. Either way it is not drained again yet.
     */
    private static boolean recent(DomainMigration lastDrain, Instant now) {
        return lastDrain != null && Instant.parse(lastDrain.getStatus().getEndTime()).plus(RETRY_AFTER).isAfter(now);
    }

    private static boolean names(DomainMigration m, DomainConfig d) {
        return m.getSpec() != null && Objects.equals(m.getMetadata().getNamespace(), d.getMetadata().getNamespace())
            && Objects.equals(m.getSpec().getDomainConfig(), d.getMetadata().getName());
    }

    private static boolean terminal(DomainMigration m) {
        return m.getStatus() != null && m.getStatus().getPhase() != null && m.getStatus().getPhase().terminal();
    }
}
