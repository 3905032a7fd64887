package io.domainoperator.reconciler;

import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.hypervisor.DomainInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Rule 9 for domains of ours without a DomainConfig. See {@link DomainDecider#decideOrphan}. */
final class OrphanRules {
    private static final String ORPHANED = Reasons.ORPHANED;

    private OrphanRules() {
    }

    static Decision decide(DomainInfo observed, Journal journal, Instant now, Knobs knobs, StartedBy self) {
        if (observed != null && !observed.ours()) {
            return new Decision(Operation.None.INSTANCE, null, knobs.pollInterval(), List.of(), journal);
        }
        Decision pinned = OrphanPin.refusal(journal, self, knobs);
        if (pinned != null) {
            return pinned;
        }
        Journal j = OrphanPin.firstSight(journal, observed, self, now);
        Verdict v;
        if (observed != null) {
            Instant haltAt = j.orphanSince().plus(knobs.orphanGrace());
            if (now.isBefore(haltAt)) {
                v = Verdict.awaitUntil(DomainPhase.Running, ORPHANED, "no DomainConfig; halting at "
                    + Times.rfc3339(haltAt), now, haltAt);
            } else {
                v = HaltRules.haltPresent(observed, j, knobs.defaultShutdownTimeout(), now, knobs, ORPHANED,
                    "orphan (no DomainConfig): ");
            }
        } else if (j.domainName() != null) {
            v = Verdict.act(new Operation.Destroy(j.domainName(), DestroyReason.STOPPED), DomainPhase.Halting, ORPHANED,
                "orphan: making sure domain " + j.domainName() + " is gone");
        } else {
            v = forgetOrRelease(j);
        }
        v = DomainDecider.retryGate(j, v, now, knobs);
        List<DomainEvent> events = new ArrayList<>(1);
        Journal.Failure f = j.lastFailure();
        boolean firstTry = f == null || !f.operation().equals(v.operation().kind());
        if (firstTry && v.operation() instanceof Operation.Shutdown) {
            events.add(DomainEvent.normal(io.domainoperator.api.v1alpha1.Conditions.GRACEFUL_SHUTDOWN, v.message()));
        } else if (firstTry && v.operation() instanceof Operation.Destroy d && d.reason() == DestroyReason.FORCED) {
            events.add(DomainEvent.warning(io.domainoperator.api.v1alpha1.Conditions.SHUTDOWN_FORCED, v.message()));
        }
        return new Decision(v.operation(), null, v.requeueAfter(), events, j);
    }

    private static Verdict forgetOrRelease(Journal j) {
        if (!j.adaptersToRelease().isEmpty()) {
            return Verdict.act(new Operation.ReleaseAdapters(j.adaptersToRelease()), DomainPhase.Halting, ORPHANED,
                "orphan: releasing adapters " + String.join(", ", j.adaptersToRelease()));
        }
        return Verdict.act(new Operation.ForgetDomain(), DomainPhase.Halted, ORPHANED,
            "orphan: gone and released; its journal can be deleted (disk copies are kept)");
    }
}
