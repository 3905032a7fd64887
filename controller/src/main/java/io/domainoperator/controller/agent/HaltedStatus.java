package io.domainoperator.controller.agent;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainConfigStatus;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
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
        DomainConfigStatus status = ReleasedStatus.copy(dc);
        status.setPhase(phase);
        status.setDomainId(null);
        ReleasedStatus.notBooted(status, dc, reason, message, clock.instant());
        return status;
    }
}
