package io.domainoperator.reconciler;

import io.domainoperator.api.v1alpha1.DesiredState;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.hypervisor.DomainInfo;
import java.time.Instant;

/**
 * spec.desiredState (issue 18): an active domain is kept Running or Paused. Pausing stops the vCPUs and keeps the
 * guest's memory; resuming lets it run on, never a reboot. With desiredState unset, only a pause the engine made
 * is undone by it and a domain paused outside the operator stays paused (rule 2's message says how to resume it);
 * an explicit {@code desiredState: Running} resumes the domain whoever paused it. That explicit wish is also what
 * keeps the rule safe when the journal's last intent is not the pause any more (an operation decided from a stale
 * observation that showed the domain running).
 */
final class DesiredStateRules {
    /** Ready's reason while the domain is paused as the spec asks. */
    static final String PAUSED_BY_SPEC = "PausedBySpec";
    static final String PAUSING = "Pausing";
    static final String RESUMING = "Resuming";

    private DesiredStateRules() {
    }

    /**
     * We asked the guest to shut down less than the shutdown timeout ago: it may still be acting on it. When the
     * latest request failed (its time is cleared so that it is asked again), an earlier one may still have reached
     * the guest; the timeout then counts from the failure, which came after any such request.
     */
    static boolean shutdownUnderWay(Situation s) {
        Journal j = s.journal;
        if (!j.shutdownAsked()) {
            return false;
        }
        Instant since = j.shutdownRequestedAt() != null ? j.shutdownRequestedAt()
            : j.lastFailure() != null ? j.lastFailure().at() : null;
        return since != null && s.now.isBefore(since.plus(s.shutdownTimeout()));
    }

    /** The domain runs: pause it when the spec asks for Paused, else null (the running rules go on). */
    static Verdict running(Situation s, DomainInfo d) {
        if (s.spec.desiredStateOrDefault() != DesiredState.Paused) {
            return null;
        }
        if (shutdownUnderWay(s)) {
            // A shutdown is under way (a reboot to apply the spec, or a halt taken back while the guest was acting
            // on it): a paused guest could never finish it. The domain is paused once it runs again, or once the
            // shutdown timeout has passed (a guest that ignored the request).
            return null;
        }
        // The phase is what the domain is until the operation's effect is observed: still running here, still
        // paused while resuming. The next decision, after the effect, reports the new phase.
        return Verdict.act(new Operation.Pause(d.name()), DomainPhase.Running, PAUSING, "pausing domain " + d.name()
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
        if (pausedByEngine(s.journal) || s.spec.getDesiredState() == DesiredState.Running) {
            return Verdict.act(new Operation.Resume(d.name()), DomainPhase.Paused, RESUMING, "resuming domain "
                + d.name() + " (id " + d.domainId() + "): spec.desiredState is Running again");
        }
        return null;
    }

    /**
     * spec.desiredState is Paused: a restart-required change is not applied by a reboot (that would lose the paused
     * guest's state); it waits until the domain runs again.
     */
    static boolean keptPaused(Situation s) {
        return s.spec.desiredStateOrDefault() != DesiredState.Running;
    }

    /**
     * Our last operation on the domain was a pause (done, or maybe done: a crash may have hidden its outcome), or a
     * resume that did not succeed: the engine was resuming a guest it had stopped itself (a pause, or a save that
     * failed and left the vCPUs stopped), and an agent killed before that resume must not leave the guest paused for
     * good (ConvergenceProperties, seed -4592724346387412869).
     */
    private static boolean pausedByEngine(Journal j) {
        Journal.Intent last = j.intent();
        return last != null && (last.operation().equals(Operation.Pause.KIND)
            || last.operation().equals(Operation.Resume.KIND) && last.outcome() != Journal.Outcome.SUCCEEDED);
    }
}
