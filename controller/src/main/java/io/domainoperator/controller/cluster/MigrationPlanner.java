package io.domainoperator.controller.cluster;

import io.domainoperator.api.v1alpha1.Conditions;
import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainMigration;
import io.domainoperator.api.v1alpha1.DomainMigrationStatus;
import io.domainoperator.api.v1alpha1.DomainMigrationValidator;
import io.domainoperator.api.v1alpha1.FieldError;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.api.v1alpha1.MigrationConditions;
import io.domainoperator.api.v1alpha1.MigrationPhase;
import io.domainoperator.reconciler.MigrationStatusEdit;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cluster controller's part of a new DomainMigration: checks the domain can move live and picks the target with
 * the placement rules ({@link Placement}: a live node with the domain's maximum memory free), never the source and
 * never a cordoned node. Pure: the caller passes the informers' view and writes the status it returns.
 */
public final class MigrationPlanner {
    private MigrationPlanner() {
    }

    /**
     * @param domain        the DomainConfig named by spec.domainConfig, or null when there is none
     * @param nodes         every node's heartbeat capacity
     * @param cordoned      nodes placement must not use (cordoned, or marked for maintenance)
     * @param otherActive   another unfinished migration names the same DomainConfig
     * @return the status to write: Scheduling with the nodes chosen, or Failed saying why
     */
    public static DomainMigrationStatus plan(DomainMigration migration, DomainConfig domain, Collection<NodeCapacity> nodes,
                                             Set<String> cordoned, boolean otherActive, Instant now) {
        DomainMigrationStatus read = migration.getStatus() != null ? migration.getStatus() : new DomainMigrationStatus();
        String name = migration.getSpec() == null ? null : migration.getSpec().getDomainConfig();
        // The API server checks the schema too; this catches a CRD installed without it, and says the fix the same way.
        List<FieldError> invalid = DomainMigrationValidator.validate(migration.getSpec());
        if (!invalid.isEmpty()) {
            return MigrationStatusEdit.failed(read, MigrationConditions.INVALID_SPEC, String.join("; ", invalid.stream()
                .map(e -> e.field() + " " + e.message()).toList()) + "; fix it and create the DomainMigration again", now);
        }
        if (domain == null || domain.getSpec() == null) {
            return MigrationStatusEdit.failed(read, MigrationConditions.DOMAIN_NOT_FOUND, "no DomainConfig named " + name
                + " in namespace " + migration.getMetadata().getNamespace() + " (spec.domainConfig)", now);
        }
        if (otherActive) {
            return MigrationStatusEdit.failed(read, MigrationConditions.ALREADY_MIGRATING, "another DomainMigration of "
                + name + " is under way; wait for it to end", now);
        }
        List<String> adapters = domain.getSpec().getAdapters();
        if (adapters != null && !adapters.isEmpty()) {
            return MigrationStatusEdit.failed(read, MigrationConditions.NOT_LIVE_MIGRATABLE, name + " holds passed-through "
                + "adapter(s) " + String.join(", ", adapters) + ", which cannot follow it to another node: it is not live-"
                + "migratable; halt it and move it by setting spec.nodeName", now);
        }
        var status = domain.getStatus();
        if (status == null || status.getPhase() != DomainPhase.Running || status.getNode() == null
            || status.getDomainName() == null) {
            return MigrationStatusEdit.failed(read, MigrationConditions.DOMAIN_NOT_RUNNING, name + " is "
                + (status == null || status.getPhase() == null ? "not started" : status.getPhase()) + ", not Running: only a "
                + "running domain moves live", now);
        }
        String source = status.getNode();
        String wanted = migration.getSpec().getTargetNode();
        if (source.equals(wanted)) {
            return MigrationStatusEdit.failed(read, MigrationConditions.NO_TARGET, name + " already runs on " + wanted
                + " (spec.targetNode)", now);
        }
        if (wanted != null && cordoned.contains(wanted)) {
            return MigrationStatusEdit.failed(read, MigrationConditions.NO_TARGET, "node " + wanted + " (spec.targetNode) "
                + "is cordoned or in maintenance; uncordon it or name another node", now);
        }
        List<NodeCapacity> candidates = nodes.stream().filter(n -> !n.name().equals(source) && !cordoned.contains(n.name()))
            .filter(n -> wanted == null || n.name().equals(wanted)).toList();
        if (candidates.isEmpty()) {
            return MigrationStatusEdit.failed(read, MigrationConditions.NO_TARGET, wanted != null ? "node " + wanted
                + " (spec.targetNode) has no agent heartbeat" : "no node other than " + source + " is uncordoned", now);
        }
        String key = migration.getMetadata().getNamespace() + "/" + name;
        Placement.Result placed = Placement.place(List.of(new DomainRequest(key, domain.getSpec().effectiveMaxMemoryMiB(),
            List.of())), candidates, Map.of());
        String target = placed.assignments().get(key);
        if (target == null) {
            return MigrationStatusEdit.failed(read, MigrationConditions.NO_TARGET, "no node can take " + name + ": "
                + placed.noFits().get(key).message(), now);
        }
        DomainMigrationStatus s = read.copy();
        s.setPhase(MigrationPhase.Scheduling);
        s.setSourceNode(source);
        s.setTargetNode(target);
        s.setDomainName(status.getDomainName());
        s.setUuid(status.getUuid());
        s.setStartTime(now.truncatedTo(ChronoUnit.SECONDS).toString());
        return MigrationStatusEdit.withCondition(s, MigrationConditions.TARGET_PREPARED, Conditions.UNKNOWN, "Scheduled",
            "moving from " + source + " to " + target + "; the target's agent prepares the incoming domain", now);
    }
}
