package io.domainoperator.reconciler;

import io.domainoperator.api.v1alpha1.Conditions;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.reconciler.ModelNode.Config;
import java.util.List;

/**
 * What "done" means for a DomainConfig of a {@link ModelNode}: the domain the spec wants exists exactly once in the
 * wanted state, with the status saying so; or it waits for a reason the engine names (memory, an adapter held by
 * another domain, a dependency down); or, deleted, nothing of it is left.
 */
final class ModelConvergence {
    private final ModelNode node;

    ModelConvergence(ModelNode node) {
        this.node = node;
    }

    /** Null when {@code c} is where its spec wants it, else what is missing. */
    String notConverged(Config c) {
        List<ModelHypervisor.Dom> mine = node.hv.ownedBy(c.key());
        if (c.deleted) {
            if (!c.forgotten) {
                return "deleted but not forgotten";
            }
            if (!c.spec.keepDisksOnDeleteOrDefault() && node.diskCopies.stream().anyMatch(s -> s.startsWith(c.key() + "|"))) {
                return "deleted but its disk copies remain";
            }
            if (!c.spec.keepDisksOnDeleteOrDefault() && node.images.files.keySet().stream()
                .anyMatch(f -> f.startsWith(c.key() + "|"))) {
                return "deleted but its save images remain: " + node.images.files.keySet();
            }
            return mine.isEmpty() ? null : "deleted but its domain remains";
        }
        if (!c.quiet) {
            return "its last decision performed an operation: not yet decided on its outcome";
        }
        if (node.adapterHolder.containsValue(c.key()) && !c.spec.isActive()) {
            return "halted but holding an adapter";
        }
        if (!c.spec.isActive()) {
            if (!mine.isEmpty()) {
                return "inactive but a domain exists";
            }
            return c.status != null && c.status.getPhase() == DomainPhase.Halted
                && c.status.getObservedGeneration() == c.generation ? node.images.leftOver(c) : "inactive, status " + c.status;
        }
        if (ModelSaveImages.suspendWished(c) && !ModelSaveImages.refusesSuspend(c)) {
            return node.images.suspendedNotConverged(c, mine);
        }
        // Waiting is the desired state when another DomainConfig runs with an adapter this one wants, or when a
        // dependency cannot run (e.g. it waits for such an adapter itself). The engine names either reason.
        if (mine.isEmpty() && c.status != null && c.status.getObservedGeneration() == c.generation
            && io.domainoperator.reconciler.Reasons.INSUFFICIENT_MEMORY.equals(c.status.condition(Conditions.READY).getReason())) {
            // Rule 11: waiting for memory is the desired state while the domain does not fit.
            return c.spec.effectiveMaxMemoryMiB() > node.hv.freeMemoryMiB() ? null
                : "Pending for memory although " + node.hv.freeMemoryMiB() + " MiB are free";
        }
        String blocker = heldByAnotherWithADomain(c);
        boolean dependencyDown = c.spec.getStartAfter().stream().map(node.configs::get)
            .anyMatch(dep -> dep.status == null || dep.status.getPhase() != DomainPhase.Running);
        if (blocker != null || (dependencyDown && mine.isEmpty())) {
            String reason = c.status == null ? null : c.status.condition(Conditions.READY).getReason();
            boolean waits = mine.isEmpty() && c.status != null && c.status.getObservedGeneration() == c.generation
                && (blocker != null && Conditions.ADAPTER_BUSY.equals(reason)
                    || dependencyDown && Conditions.WAITING_FOR_DEPENDENCY.equals(reason));
            return waits ? null : "should wait (adapter held by " + blocker + ", dependency down " + dependencyDown
                + "), status " + c.status;
        }
        if (mine.stream().anyMatch(d -> d.powerOffAt != null)) {
            return "the guest is still acting on a shutdown request";
        }
        boolean wantsPaused = c.spec.desiredStateOrDefault() == io.domainoperator.api.v1alpha1.DesiredState.Paused;
        if (mine.size() != 1 || !(wantsPaused ? mine.get(0).state.paused() && mine.get(0).cpu > 0
            : mine.get(0).state.isAlive())) {
            return "active (" + c.spec.desiredStateOrDefault() + ") but domains are "
                + mine.stream().map(d -> d.name + ":" + d.state).toList();
        }
        if (wantsPaused && c.status != null
            && !DesiredStateRules.PAUSED_BY_SPEC.equals(c.status.condition(Conditions.READY).getReason())) {
            return "paused, but the status still says " + c.status.condition(Conditions.READY).getReason();
        }
        if (c.status == null || c.status.getPhase() != (wantsPaused ? DomainPhase.Paused : DomainPhase.Running)
            || c.status.getObservedGeneration() != c.generation) {
            return "active, running, but status is " + c.status;
        }
        List<String> pending = mine.get(0).builtFrom.changedFields(c.spec);
        if (c.spec.restartOnConfigChangeOrDefault() && !pending.isEmpty() && !wantsPaused) {
            // A domain kept Paused is not rebooted: its restart-required changes wait until it runs again.
            return "restartOnConfigChange but still pending " + pending;
        }
        if (!pending.equals(c.status.getPendingChanges())) {
            return "pendingChanges " + c.status.getPendingChanges() + " but the domain differs in " + pending;
        }
        return node.images.leftOver(c);
    }

    private String heldByAnotherWithADomain(Config c) {
        for (String a : c.spec.getAdapters()) {
            String holder = node.adapterHolder.get(a);
            if (holder != null && !holder.equals(c.key()) && !node.hv.ownedBy(holder).isEmpty()) {
                return holder;
            }
        }
        return null;
    }
}
