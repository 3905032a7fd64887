package io.domainoperator.reconciler;

import io.domainoperator.api.v1alpha1.DesiredState;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.hypervisor.DomainInfo;

/**
 * spec.desiredState (issue 18): an active domain is kept Running or Paused. Pausing stops the vCPUs and keeps the
 * guest's memory; resuming lets it run on, never a reboot. Only a pause the engine made is undone by it: a domain
 * paused outside the operator stays paused (rule 2's message says how to resume it).
 */
final class DesiredStateRules {
    /** Ready's reason while the domain is paused as the spec asks. */
    static final String PAUSED_BY_SPEC = "PausedBySpec";
    static final String PAUSING = "Pausing";
    static final String RESUMING = "Resuming";

    private DesiredStateRules() {
    }

    /** The domain runs: pause it when the spec asks for Paused, else null (the running rules go on). */
    static Verdict running(Situation s, DomainInfo d) {
        if (s.spec.desiredStateOrDefault() != DesiredState.Paused) {
            return null;
        }
        return Verdict.act(new Operation.Pause(d.name()), DomainPhase.Paused, PAUSING, "pausing domain " + d.name()
            + " (id " + d.domainId() + ") as spec.desiredState asks; its memory is kept and it resumes when set to "
            + "Running");
    }

    /**
     * The domain is paused and its boot is complete: keep it so when the spec asks for Paused, resume it when the
     * spec asks for Running and the engine paused it; null otherwise (rule 2 decides).
     */
    static Verdict paused(Situation s, DomainInfo d) {
        if (s.spec.desiredStateOrDefault() == DesiredState.Paused) {
            return Verdict.await(DomainPhase.Paused, PAUSED_BY_SPEC, "domain " + d.name() + " (id " + d.domainId()
                + ") is paused as spec.desiredState asks; set it to Running to resume", s.knobs.pollInterval());
        }
        if (pausedByEngine(s.journal)) {
            return Verdict.act(new Operation.Resume(d.name()), DomainPhase.Running, RESUMING, "resuming domain "
                + d.name() + " (id " + d.domainId() + "): spec.desiredState is Running again");
        }
        return null;
    }

    /**
     * spec.desiredState is Paused: a restart-required change is not applied by a reboot (that would lose the paused
     * guest's state); it waits until the domain runs again.
     */
    static boolean keptPaused(Situation s) {
        return s.spec.desiredStateOrDefault() == DesiredState.Paused;
    }

    /** Our last operation on the domain was a pause (done, or maybe done: a crash may have hidden its outcome). */
    private static boolean pausedByEngine(Journal j) {
        return j.intent() != null && j.intent().operation().equals(Operation.Pause.KIND);
    }
}
