package io.domainoperator.reconciler;

import io.domainoperator.api.v1alpha1.Conditions;
import io.domainoperator.api.v1alpha1.DomainConfigStatus;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.api.v1alpha1.ReadinessProbe;
import io.fabric8.kubernetes.api.model.Condition;

/**
 * The GuestReady condition of a domain with spec.readinessProbe: True once the agent's probe passed for the
 * running boot, False while the domain runs and the probe has not passed (yet, or any more), and False with the
 * domain's own reason while it does not run. Absent without a probe: then Ready means the domain runs.
 */
final class GuestReadyCondition {
    private GuestReadyCondition() {
    }

    /** The condition, or null for a domain without a readiness probe. */
    static Condition of(Situation s, Verdict v) {
        ReadinessProbe probe = s.spec.getReadinessProbe();
        if (probe == null) {
            return null;
        }
        if (v.phase() != DomainPhase.Running || s.observed == null) {
            return StatusBuilder.condition(Conditions.GUEST_READY, false, v.reason(), v.message());
        }
        int domainId = s.observed.domainId();
        if (s.guest.readyFor(domainId)) {
            return StatusBuilder.condition(Conditions.GUEST_READY, true, Conditions.PROBE_SUCCEEDED,
                s.guest.messageFor(domainId));
        }
        return StatusBuilder.condition(Conditions.GUEST_READY, false, Conditions.GUEST_NOT_READY,
            "the domain runs; its guest is not up yet by spec.readinessProbe: " + s.guest.messageFor(domainId));
    }

    /** An event when the guest becomes ready, so `kubectl describe` shows boot-to-ready. */
    static void events(Situation s, DomainConfigStatus last, Condition guestReady) {
        if (guestReady == null || !Conditions.TRUE.equals(guestReady.getStatus())) {
            return;
        }
        Condition before = last == null ? null : last.condition(Conditions.GUEST_READY);
        if (before == null || !Conditions.TRUE.equals(before.getStatus())) {
            s.event(DomainEvent.normal(Conditions.GUEST_READY, guestReady.getMessage()));
        }
    }
}
