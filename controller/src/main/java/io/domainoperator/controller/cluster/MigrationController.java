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

    MigrationController(KubernetesClient client, Clock clock, io.domainoperator.controller.agent.EventRecorder events) {
        this.client = client;
        this.clock = clock;
        this.events = events;
    }

    /** @param cordoned nodes no migration may target ({@link NodeMaintenance#cordoned()}) */
    void pass(List<DomainMigration> migrations, Map<String, DomainConfig> domainsByKey, List<NodeLease> leases,
              Set<String> cordoned) {
        Instant now = clock.instant();
        for (DomainMigration m : migrations) {
            try {
                step(m, migrations, domainsByKey, leases, cordoned, now);
            } catch (RuntimeException e) {
                LOG.warn("migration {}/{}: {}", m.getMetadata().getNamespace(), m.getMetadata().getName(), e.getMessage());
            }
        }
    }

    private void step(DomainMigration m, List<DomainMigration> all, Map<String, DomainConfig> domains,
                      List<NodeLease> leases, Set<String> cordoned, Instant now) {
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
            DomainMigrationStatus planned = MigrationPlanner.plan(m, dc, nodes, cordoned, otherActive, now);
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
        if (st.getPhase().terminal()) {
            // Ended: only a guest handed over before a failure may still need its DomainConfig pointed at the target.
            String target = HandOverRule.pointAt(m, all, dc);
            if (target != null) {
                pointAtTarget(dc, target);
            }
            return;
        }
        boolean targetOwns = st.getHandoverTime() != null && st.getTargetResumedTime() != null;
        if (!targetOwns) {
            return;
        }
        String target = HandOverRule.pointAt(m, all, dc);
        if (target != null) {
            pointAtTarget(dc, target);
        }
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
}
