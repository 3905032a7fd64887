package io.domainoperator.controller.cluster;

import io.domainoperator.api.v1alpha1.Conditions;
import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainMigration;
import io.domainoperator.api.v1alpha1.DomainMigrationStatus;
import io.domainoperator.api.v1alpha1.MigrationConditions;
import io.domainoperator.api.v1alpha1.MigrationPhase;
import io.domainoperator.reconciler.MigrationStatusEdit;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's part in live migration: a new DomainMigration is checked and given its nodes ({@link MigrationPlanner});
 * once the target resumed the guest (or lost it after the hand-over), the DomainConfig is pointed at the target node
 * (spec.nodeName and its node label, so that node's agent takes it over and writes status.node) and the migration ends
 * Succeeded. Everything between is the two agents' (see {@code io.domainoperator.reconciler.MigrationDecider}).
 * Runs in the leader's pass thread: one pass at a time.
 */
final class MigrationController {
    private static final Logger LOG = LoggerFactory.getLogger(MigrationController.class);
    private final KubernetesClient client;
    private final Clock clock;
    private final io.domainoperator.controller.agent.EventRecorder events;
    /** How many drain migrations may run at once, fleet-wide ({@code --drain-parallel}). */
    private final int drainParallel;
    /** The last DrainBlocked message per DomainConfig: the event is recorded once, not on every pass. */
    private final Map<String, String> drainBlocked = new java.util.concurrent.ConcurrentHashMap<>();
    /** DomainConfig keys this controller created a drain migration for, and when. */
    private final Map<String, Instant> createdDrains = new java.util.concurrent.ConcurrentHashMap<>();

    MigrationController(KubernetesClient client, Clock clock, io.domainoperator.controller.agent.EventRecorder events,
                        int drainParallel) {
        this.drainParallel = drainParallel;
        this.client = client;
        this.clock = clock;
        this.events = events;
    }

    void pass(List<DomainMigration> migrations, Map<String, DomainConfig> domainsByKey, List<NodeLease> leases) {
        Instant now = clock.instant();
        drain(migrations, domainsByKey, now);
        for (DomainMigration m : migrations) {
            try {
                step(m, migrations, domainsByKey, leases, now);
            } catch (RuntimeException e) {
                LOG.warn("migration {}/{}: {}", m.getMetadata().getNamespace(), m.getMetadata().getName(), e.getMessage());
            }
        }
    }

    private void step(DomainMigration m, List<DomainMigration> all, Map<String, DomainConfig> domains,
                      List<NodeLease> leases, Instant now) {
        DomainMigrationStatus st = m.getStatus();
        String ns = m.getMetadata().getNamespace();
        String dcName = m.getSpec() == null ? null : m.getSpec().getDomainConfig();
        DomainConfig dc = domains.get(ns + "/" + dcName);
        if (st == null || st.getPhase() == null || st.getPhase() == MigrationPhase.Pending) {
            boolean otherActive = all.stream().anyMatch(o -> o != m && o.getStatus() != null && o.getStatus().getPhase() != null
                && o.getStatus().getPhase() != MigrationPhase.Pending && !o.getStatus().getPhase().terminal()
                && Objects.equals(ns, o.getMetadata().getNamespace()) && o.getSpec() != null
                && Objects.equals(dcName, o.getSpec().getDomainConfig()));
            List<NodeCapacity> nodes = leases.stream()
                .map(l -> new NodeCapacity(l.nodeName(), l.isFresh(now), l.memoryFreeMiB())).toList();
            DomainMigrationStatus planned = MigrationPlanner.plan(m, dc, nodes, unschedulableNodes(), otherActive, now);
            if (MigrationWrites.writeStatus(client, m, planned)) {
                LOG.info("migration {}/{}: {}", ns, m.getMetadata().getName(), planned.getPhase() == MigrationPhase.Failed
                    ? "refused: " + planned.condition(MigrationConditions.COMPLETE).getMessage()
                    : "moving " + dcName + " from " + planned.getSourceNode() + " to " + planned.getTargetNode());
                if (dc != null) {
                    events.record(dc, planned.getPhase() == MigrationPhase.Failed ? "Warning" : "Normal",
                        planned.getPhase() == MigrationPhase.Failed ? "MigrationRefused" : "MigrationStarted",
                        planned.getPhase() == MigrationPhase.Failed ? planned.condition(MigrationConditions.COMPLETE).getMessage()
                            : "moving live from " + planned.getSourceNode() + " to " + planned.getTargetNode()
                            + " (DomainMigration " + m.getMetadata().getName() + ")");
                }
            }
            return;
        }
        if (!movesDomainConfig(m, all, dc)) {
            return;
        }
        if (dc != null && !st.getTargetNode().equals(dc.getSpec().getNodeName())) {
            pointAtTarget(dc, st.getTargetNode());
        }
        if (st.getPhase() != MigrationPhase.Failed) {
            DomainMigrationStatus done = st.copy();
            done.setPhase(MigrationPhase.Succeeded);
            done.setEndTime(now.truncatedTo(ChronoUnit.SECONDS).toString());
            MigrationStatusEdit.withCondition(done, MigrationConditions.COMPLETE, Conditions.TRUE, MigrationConditions.SUCCEEDED,
                dcName + " runs on " + st.getTargetNode() + " (copy " + st.getMigrationTimeMillis() + " ms, stopped "
                    + st.getDowntimeMillis() + " ms)", now);
            if (MigrationWrites.writeStatus(client, m, done) && dc != null) {
                events.record(dc, "Normal", "Migrated", "moved live from " + st.getSourceNode() + " to " + st.getTargetNode()
                    + " in " + st.getMigrationTimeMillis() + " ms, " + st.getDowntimeMillis() + " ms stopped");
            }
        }
    }

    /**
     * Whether migration {@code m} is to point the DomainConfig at its target now: once the target owns the guest (resumed
     * there, or lost there after the hand-over) and before the migration is Succeeded (written only after the pointing).
     * Only the DomainConfig's newest migration may: an older one ended, and pointing at its target again would take the
     * guest's DomainConfig away from where a later migration moved it (two migrations back and forth flipped it for
     * ever, MigrationCrashE2E).
     */
    static boolean movesDomainConfig(DomainMigration m, List<DomainMigration> all, DomainConfig dc) {
        DomainMigrationStatus st = m.getStatus();
        boolean targetOwns = st.getHandoverTime() != null
            && (st.getTargetResumedTime() != null || st.getPhase() == MigrationPhase.Failed);
        if (!targetOwns || st.getPhase() == MigrationPhase.Succeeded) {
            return false;
        }
        if (st.getPhase() == MigrationPhase.Failed && dc != null && st.getTargetNode().equals(dc.getSpec().getNodeName())) {
            return false;
        }
        return all.stream().noneMatch(o -> o != m && newer(o, m));
    }

    /** {@code o} names the same DomainConfig as {@code m} and was created after it. */
    private static boolean newer(DomainMigration o, DomainMigration m) {
        return o.getSpec() != null && m.getSpec() != null
            && Objects.equals(o.getMetadata().getNamespace(), m.getMetadata().getNamespace())
            && Objects.equals(o.getSpec().getDomainConfig(), m.getSpec().getDomainConfig())
            && created(o).compareTo(created(m)) > 0;
    }

    /** Creation time, then name: the API server's timestamps have whole seconds. */
    private static String created(DomainMigration m) {
        return String.valueOf(m.getMetadata().getCreationTimestamp()) + m.getMetadata().getName();
    }

    /** The node's agent takes the DomainConfig over: spec.nodeName and the label its informer selects by. */
    private void pointAtTarget(DomainConfig dc, String target) {
        client.resources(DomainConfig.class).inNamespace(dc.getMetadata().getNamespace()).withName(dc.getMetadata().getName())
            .edit(d -> {
                d.getSpec().setNodeName(target);
                d.getMetadata().getLabels().put(DomainConfig.NODE_LABEL, target);
                return d;
            });
        LOG.info("domain {}/{}: now on node {} (migrated)", dc.getMetadata().getNamespace(), dc.getMetadata().getName(), target);
    }

    /**
     * Node drain ({@link DrainPlanner}): creates the DomainMigrations that move domains off nodes in maintenance, at
     * most {@code drainParallel} at a time; a domain that cannot move live gets a Warning event, once per message.
     */
    private void drain(List<DomainMigration> migrations, Map<String, DomainConfig> domains, Instant now) {
        Set<String> draining = nodes(true);
        if (draining.isEmpty()) {
            return;
        }
        // Drain migrations created but maybe not yet in the informer's cache count as there (kube-scheduler's "assume").
        createdDrains.values().removeIf(at -> at.plus(DrainPlanner.RETRY_AFTER).isBefore(now));
        List<DomainConfig> candidates = domains.values().stream().filter(d -> !createdDrains.containsKey(
            d.getMetadata().getNamespace() + "/" + d.getMetadata().getName())).toList();
        DrainPlanner.Plan plan = DrainPlanner.plan(draining, candidates, migrations,
            drainParallel - createdDrains.size(), now);
        for (DomainConfig dc : plan.toMigrate()) {
            createdDrains.put(dc.getMetadata().getNamespace() + "/" + dc.getMetadata().getName(), now);
            DomainMigration m = new DomainMigration();
            m.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
                .withGenerateName(DrainPlanner.PREFIX + dc.getMetadata().getName() + "-")
                .withNamespace(dc.getMetadata().getNamespace())
                .addToLabels(DrainPlanner.DRAINED_NODE_LABEL, dc.getSpec().getNodeName()).build());
            var spec = new io.domainoperator.api.v1alpha1.DomainMigrationSpec();
            spec.setDomainConfig(dc.getMetadata().getName());
            m.setSpec(spec);
            DomainMigration created = client.resource(m).create();
            LOG.info("drain of {}: moving {}/{} (DomainMigration {})", dc.getSpec().getNodeName(),
                dc.getMetadata().getNamespace(), dc.getMetadata().getName(), created.getMetadata().getName());
            events.record(dc, "Normal", "Draining", "node " + dc.getSpec().getNodeName() + " is in maintenance: moving live "
                + "(DomainMigration " + created.getMetadata().getName() + ")");
        }
        plan.blocked().forEach((dc, why) -> {
            String key = dc.getMetadata().getNamespace() + "/" + dc.getMetadata().getName();
            if (!why.equals(drainBlocked.put(key, why))) {
                events.record(dc, "Warning", "DrainBlocked", "node " + dc.getSpec().getNodeName() + " is in maintenance, but "
                    + dc.getMetadata().getName() + " " + why);
            }
        });
    }

    /** Nodes placement must not use: cordoned, or labelled for maintenance. A cluster without Node objects has none. */
    private Set<String> unschedulableNodes() {
        return nodes(false);
    }

    /**
     * @param draining only nodes in maintenance (cordoned and labelled), else every cordoned or labelled node
     */
    private Set<String> nodes(boolean draining) {
        Set<String> out = new HashSet<>();
        try {
            for (Node n : client.nodes().list().getItems()) {
                boolean cordoned = n.getSpec() != null && Boolean.TRUE.equals(n.getSpec().getUnschedulable());
                boolean maintenance = n.getMetadata().getLabels() != null
                    && "true".equals(n.getMetadata().getLabels().get(MigrationConditions.MAINTENANCE_LABEL));
                if (draining ? cordoned && maintenance : cordoned || maintenance) {
                    out.add(n.getMetadata().getName());
                }
            }
        } catch (RuntimeException e) {
            LOG.debug("nodes not readable, no node counts as cordoned: {}", e.getMessage());
        }
        return out;
    }
}
