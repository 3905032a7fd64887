package io.domainoperator.controller.cluster;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainMigration;
import io.domainoperator.api.v1alpha1.DomainMigrationSpec;
import io.domainoperator.api.v1alpha1.DrainConditions;
import io.domainoperator.controller.agent.EventRecorder;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out {@link DrainPlanner}'s plan in the leader's pass: creates the drain DomainMigrations, halts, unassigns
 * or reactivates the DomainConfigs whose spec.drainPolicy says so, keeps each one's Draining condition and records the
 * events (Draining, DrainBlocked, DrainHalting, DrainBootingElsewhere, DrainResumed).
 */
final class NodeDrain {
    private static final Logger LOG = LoggerFactory.getLogger(NodeDrain.class);
    private final KubernetesClient client;
    private final Clock clock;
    private final EventRecorder events;
    private final DomainWriter writer;
    /** How many drain moves may run at once, fleet-wide ({@code --drain-parallel}). */
    private final int parallel;
    /** The last DrainBlocked message per DomainConfig: the event is recorded once, not on every pass. */
    private final Map<String, String> blockedSaid = new ConcurrentHashMap<>();
    /** DomainConfig keys this controller created a drain migration for, and when (not yet in the informer's cache). */
    private final Map<String, Instant> created = new ConcurrentHashMap<>();

    NodeDrain(KubernetesClient client, Clock clock, EventRecorder events, DomainWriter writer, int parallel) {
        this.client = client;
        this.clock = clock;
        this.events = events;
        this.writer = writer;
        this.parallel = parallel;
    }

    void pass(Set<String> draining, List<DomainMigration> migrations, Map<String, DomainConfig> domains) {
        Instant now = clock.instant();
        // Drain migrations created but maybe not yet in the informer's cache count as there (kube-scheduler's "assume").
        created.values().removeIf(at -> at.plus(DrainPlanner.RETRY_AFTER).isBefore(now));
        // Once the cache has it the planner sees the migration itself: the DomainConfig is planned (and its Draining
        // condition kept or cleared) again at once, rather than a minute later.
        created.keySet().removeIf(key -> uncached(Set.of(key), migrations) == 0);
        List<DomainConfig> candidates = domains.values().stream().filter(d -> !created.containsKey(ClusterDecider.key(d)))
            .toList();
        DrainPlanner.Plan plan = DrainPlanner.plan(draining, candidates, migrations, parallel - created.size(), now);
        plan.toMigrate().forEach(this::migrate);
        plan.blocked().forEach((dc, why) -> {
            if (!why.equals(blockedSaid.put(ClusterDecider.key(dc), why))) {
                events.record(dc, "Warning", DrainConditions.DRAIN_BLOCKED, "node " + dc.getSpec().getNodeName()
                    + " is in maintenance, but " + why + ": it keeps running there (spec.drainPolicy LiveMigrate); halt it, "
                    + "move it by setting spec.nodeName, or set spec.drainPolicy to HaltAndBootElsewhere or Halt");
            }
        });
        plan.toHalt().forEach((dc, why) -> edit(dc, "DrainHalting", "node " + dc.getSpec().getNodeName() + " is in maintenance and "
            + why + ": halting it (spec.drainPolicy " + dc.getSpec().drainPolicyOrDefault() + ")", d -> {
                if (DrainPlanner.haltedBy(d) != null || !java.util.Objects.equals(d.getSpec().getNodeName(), dc.getSpec().getNodeName())) {
                    return null; // a newer version than the plan's: already halted, or moved meanwhile
                }
                annotations(d).put(DrainConditions.HALTED_BY_DRAIN_ANNOTATION, d.getSpec().getNodeName());
                d.getSpec().setActivate(false);
                return d;
            }));
        plan.toBootElsewhere().forEach(dc -> edit(dc, "DrainBootingElsewhere", "halted on node " + dc.getSpec().getNodeName()
            + ", which is in maintenance: unassigned, to boot on another node (spec.drainPolicy HaltAndBootElsewhere)", d -> {
                if (!java.util.Objects.equals(DrainPlanner.haltedBy(d), d.getSpec().getNodeName())) {
                    return null; // done already (a pass on a lagging cache): placement may have chosen a node since
                }
                annotations(d).remove(DrainConditions.HALTED_BY_DRAIN_ANNOTATION);
                d.getSpec().setActivate(true);
                d.getSpec().setNodeName(null);
                if (d.getMetadata().getLabels() != null) {
                    d.getMetadata().getLabels().remove(DomainConfig.NODE_LABEL);
                }
                return d;
            }));
        plan.toResume().forEach(dc -> edit(dc, "DrainResumed", "node " + DrainPlanner.haltedBy(dc) + " is back in service (or "
            + "the domain was moved): active again", d -> {
                if (DrainPlanner.haltedBy(d) == null) {
                    return null; // done already
                }
                annotations(d).remove(DrainConditions.HALTED_BY_DRAIN_ANNOTATION);
                d.getSpec().setActivate(true);
                return d;
            }));
        conditions(plan.draining(), domains.values());
    }

    /**
     * How many of the drain migrations this controller created are not in the informer's cache yet: those the planner
     * cannot count itself. (Counting every one created in the last minute took each slot twice once the cache caught
     * up, halving --drain-parallel.)
     */
    static int uncached(Set<String> createdFor, List<DomainMigration> migrations) {
        return (int) createdFor.stream().filter(key -> migrations.stream().noneMatch(m -> m.getSpec() != null
            && m.getMetadata().getName().startsWith(DrainPlanner.PREFIX)
            && key.equals(m.getMetadata().getNamespace() + "/" + m.getSpec().getDomainConfig()))).count();
    }

    /** Whether drain has something to undo on {@code dc} with no node draining: a halt, or a Draining condition. */
    static boolean concerned(DomainConfig dc) {
        return DrainPlanner.haltedBy(dc) != null
            || dc.getStatus() != null && dc.getStatus().condition(DrainConditions.DRAINING) != null;
    }

    /** Each DomainConfig's Draining condition as planned; removed from those no longer concerned. */
    private void conditions(Map<String, Condition> wanted, Iterable<DomainConfig> domains) {
        for (DomainConfig dc : domains) {
            String key = ClusterDecider.key(dc);
            Condition want = wanted.get(key);
            boolean has = dc.getStatus() != null && dc.getStatus().condition(DrainConditions.DRAINING) != null;
            if (want == null && !has || created.containsKey(key) && want == null) {
                continue;
            }
            OwnedStatus change = want != null
                ? new OwnedStatus(Map.of(DrainConditions.DRAINING, want), Set.of(), false, null, null)
                : new OwnedStatus(Map.of(), Set.of(DrainConditions.DRAINING), false, null, null);
            if (change.merge(dc.getStatus(), clock.instant()) != null) {
                writer.apply(new DomainDecision(key, null, null, change), dc);
            }
        }
    }

    private void migrate(DomainConfig dc) {
        created.put(ClusterDecider.key(dc), clock.instant());
        DomainMigration m = new DomainMigration();
        m.setMetadata(new ObjectMetaBuilder().withGenerateName(DrainPlanner.PREFIX + dc.getMetadata().getName() + "-")
            .withNamespace(dc.getMetadata().getNamespace())
            .addToLabels(DrainPlanner.DRAINED_NODE_LABEL, dc.getSpec().getNodeName()).build());
        DomainMigrationSpec spec = new DomainMigrationSpec();
        spec.setDomainConfig(dc.getMetadata().getName());
        m.setSpec(spec);
        try {
            DomainMigration made = client.resource(m).create();
            LOG.info("drain of {}: moving {} (DomainMigration {})", dc.getSpec().getNodeName(), ClusterDecider.key(dc),
                made.getMetadata().getName());
            events.record(dc, "Normal", "Draining", "node " + dc.getSpec().getNodeName() + " is in maintenance: moving live "
                + "(DomainMigration " + made.getMetadata().getName() + ")");
        } catch (RuntimeException e) {
            created.remove(ClusterDecider.key(dc));
            LOG.warn("drain of {}: creating the DomainMigration of {} failed, next pass: {}", dc.getSpec().getNodeName(),
                ClusterDecider.key(dc), e.getMessage());
        }
    }

    /**
     * Applies {@code change} to the latest DomainConfig, locked to the version read (a concurrent write makes it fail
     * and the next pass decide again), and records the event once it landed. {@code change} returns null when the
     * latest version needs nothing: the plan came from a cache that lagged this controller's own earlier edit.
     */
    private void edit(DomainConfig dc, String reason, String message, UnaryOperator<DomainConfig> change) {
        var resource = client.resources(DomainConfig.class).inNamespace(dc.getMetadata().getNamespace())
            .withName(dc.getMetadata().getName());
        try {
            DomainConfig latest = resource.get();
            if (latest == null || latest.getSpec() == null) {
                return;
            }
            DomainConfig changed = change.apply(client.getKubernetesSerialization().clone(latest));
            if (changed == null) {
                return;
            }
            client.resource(changed).lockResourceVersion(latest.getMetadata().getResourceVersion()).update();
            LOG.info("drain: {}: {}", ClusterDecider.key(dc), message);
            events.record(dc, "Normal", reason, message);
        } catch (RuntimeException e) {
            LOG.warn("drain: {}: {} failed, next pass: {}", ClusterDecider.key(dc), reason, e.getMessage());
        }
    }

    private static Map<String, String> annotations(DomainConfig d) {
        if (d.getMetadata().getAnnotations() == null) {
            d.getMetadata().setAnnotations(new HashMap<>());
        }
        return d.getMetadata().getAnnotations();
    }
}
