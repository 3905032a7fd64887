package io.domainoperator.controller.agent;

import io.domainoperator.api.v1alpha1.Conditions;
import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainConfigStatus;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The status of a DomainConfig whose domain a node let go: Pending, on no node, nothing of the node's left in it (id,
 * console, config file, disk copies, adapters), Booted and Ready False saying why. Written by the node that halted and
 * released it ({@link NodeMove}), or by the cluster controller on behalf of a node declared gone for good.
 */
public final class ReleasedStatus {
    private ReleasedStatus() {
    }

    public static DomainConfigStatus of(DomainConfig dc, String reason, String message, Instant at) {
        DomainConfigStatus status = copy(dc);
        status.setPhase(DomainPhase.Pending);
        status.setNode(null);
        status.setDomainId(null);
        status.setConsole(null);
        status.setConfigFile(null);
        status.setDiskPaths(List.of());
        status.setAssignedAdapters(List.of());
        notBooted(status, dc, reason, message, at);
        return status;
    }

    /** A copy of the status to change, or a new one. */
    static DomainConfigStatus copy(DomainConfig dc) {
        return dc.getStatus() == null ? new DomainConfigStatus() : Serialization.clone(dc.getStatus());
    }

    /** Booted and Ready set False with {@code reason} and {@code message}; the other conditions kept as they were. */
    static void notBooted(DomainConfigStatus status, DomainConfig dc, String reason, String message, Instant at) {
        List<Condition> conditions = new ArrayList<>();
        for (Condition c : status.getConditions()) {
            if (!c.getType().equals(Conditions.READY) && !c.getType().equals(Conditions.BOOTED)) {
                conditions.add(c);
            }
        }
        for (String type : List.of(Conditions.BOOTED, Conditions.READY)) {
            conditions.add(new ConditionBuilder().withType(type).withStatus(Conditions.FALSE).withReason(reason)
                .withMessage(message).withObservedGeneration(dc.getMetadata().getGeneration())
                .withLastTransitionTime(at.toString()).build());
        }
        status.setConditions(conditions);
    }
}
