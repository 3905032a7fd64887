package io.domainoperator.controller.agent;

import io.domainoperator.api.v1alpha1.Conditions;
import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainConfigStatus;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status of a domain the halt on exit took down: phase Halted, no domain id, Ready and Booted False with
 * reason {@value #REASON}. Without it the last status the loop wrote (Running) would stand while nothing runs,
 * in the cluster and in standalone mode's status files, until the next agent looked again.
 */
final class HaltedStatus {
    static final String REASON = "HaltedOnExit";
    /**
     * A domain the halt on exit saved (spec.onHostShutdown Save): phase Suspended until the next agent restores it.
     * Left Running, it would let a dependent (spec.startAfter) be restored before the domain it starts after.
     */
    static final String SAVED_REASON = "SavedOnExit";
    private static final Logger LOG = LoggerFactory.getLogger(HaltedStatus.class);

    private HaltedStatus() {
    }

    /** Writes it, on the object as it is now; a conflict is retried once, and a failure is logged, never thrown. */
    static void report(KubernetesClient client, DomainConfig dc, Clock clock) {
        report(client, dc, clock, DomainPhase.Halted, REASON,
            "halted by the agent's --halt-on-exit; the next agent boots it again");
    }

    /** The same for a domain saved at the node's shutdown. */
    static void reportSaved(KubernetesClient client, DomainConfig dc, Clock clock) {
        report(client, dc, clock, DomainPhase.Suspended, SAVED_REASON, "saved at the node's shutdown "
            + "(spec.onHostShutdown Save); the next agent restores it where it was");
    }

    private static void report(KubernetesClient client, DomainConfig dc, Clock clock, DomainPhase phase, String reason,
                               String message) {
        for (int attempt = 1; attempt <= 2; attempt++) {
            try {
                DomainConfig fresh = client.resource(dc).get();
                if (fresh == null) {
                    return;
                }
                fresh.setStatus(halted(fresh, clock, phase, reason, message));
                client.resource(fresh).updateStatus();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 2) {
                    LOG.warn("{}/{}: halted, but its status could not say so: {}", dc.getMetadata().getNamespace(),
                        dc.getMetadata().getName(), e.getMessage());
                    return;
                }
            }
        }
    }

    private static DomainConfigStatus halted(DomainConfig dc, Clock clock, DomainPhase phase, String reason,
                                             String message) {
        DomainConfigStatus status = dc.getStatus() == null ? new DomainConfigStatus()
            : io.fabric8.kubernetes.client.utils.Serialization.clone(dc.getStatus());
        status.setPhase(phase);
        status.setDomainId(null);
        List<Condition> conditions = new ArrayList<>();
        for (Condition c : status.getConditions()) {
            if (!c.getType().equals(Conditions.READY) && !c.getType().equals(Conditions.BOOTED)) {
                conditions.add(c);
            }
        }
        for (String type : List.of(Conditions.BOOTED, Conditions.READY)) {
            conditions.add(new ConditionBuilder().withType(type).withStatus(Conditions.FALSE).withReason(reason)
                .withMessage(message).withObservedGeneration(dc.getMetadata().getGeneration())
                .withLastTransitionTime(clock.instant().toString()).build());
        }
        status.setConditions(conditions);
        return status;
    }
}
