package io.domainoperator.reconciler;

import io.domainoperator.api.v1alpha1.Conditions;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.api.v1alpha1.LifecyclePolicy;
import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.ShutdownReason;
import java.time.Instant;
import java.util.List;

/**
 * Rules 2, 3 and 7: a domain of ours exists and should run. Finishes a boot (unpause), rebuilds a half-created
 * domain, follows the guest's own stops through onCrash/onPoweroff/onReboot with xenopsd's crash backoff, and
 * reboots gracefully to apply restart-required changes when the spec asks for it.
 */
final class LifecycleRules {
    private LifecycleRules() {
    }

    static Verdict present(Situation s) {
        DomainInfo d = s.observed;
        if (d.state().dying()) {
            return Verdict.await(DomainPhase.Halting, Reasons.DYING, "domain " + d.name() + " (id " + d.domainId()
                + ") is being torn down by the hypervisor", s.knobs.quickRetryDelay());
        }
        if (d.state().hasStopped()) {
            return stopped(s, d);
        }
        if (d.state().paused()) {
            return paused(s, d);
        }
        return alive(s, d);
    }

    /** Rule 2. Ours to unpause only if we journaled its creation with this id; anything else is rebuilt. */
    private static Verdict paused(Situation s, DomainInfo d) {
        if (createdByUsPaused(s.journal, d)) {
            return Verdict.act(new Operation.Unpause(d.name()), DomainPhase.Booting, Conditions.BOOTING,
                "unpausing domain " + d.name() + " (id " + d.domainId() + ")");
        }
        if (d.looksHalfCreated()) {
            return Verdict.act(new Operation.Destroy(d.name(), DestroyReason.HALF_CREATED), DomainPhase.Booting,
                Conditions.HALF_CREATED_REBUILT, "domain " + d.name() + " (id " + d.domainId()
                    + ") is paused and never ran, and its creation was not completed: destroying it to rebuild");
        }
        Verdict suspend = SaveRestoreRules.paused(s, d);
        if (suspend != null) {
            return suspend;
        }
        Verdict bySpec = DesiredStateRules.paused(s, d);
        if (bySpec != null) {
            return bySpec;
        }
        return Verdict.await(DomainPhase.Paused, Conditions.PAUSED, "domain " + d.name()
            + " was paused outside the operator and stays paused; unpause it (xl unpause) or set activate: false",
            s.knobs.pollInterval());
    }

    static boolean createdByUsPaused(Journal j, DomainInfo d) {
        return j.pausedByUs() && (j.domainId() == null || j.domainId() == d.domainId());
    }

    /** Rule 3. The guest stopped by itself (or after our request to apply a config change). */
    private static Verdict stopped(Situation s, DomainInfo d) {
        Journal j = s.journal;
        if (j.shutdownAsked()) {
            return Verdict.act(new Operation.Destroy(d.name(), DestroyReason.SHUTDOWN_COMPLETE), DomainPhase.Booting,
                Conditions.RESTARTING_TO_APPLY, "the guest shut down as asked; rebuilding it with the current spec");
        }
        ShutdownReason reason = Situation.stopReason(d);
        if (reason == ShutdownReason.SUSPEND) {
            return Verdict.await(DomainPhase.Paused, Reasons.SUSPENDED, "domain " + d.name()
                + " is suspended; resume it, or set activate: false to halt it", s.knobs.pollInterval());
        }
        Journal.Exit exit = j.exit();
        LifecyclePolicy policy = exit != null ? exit.policy() : s.policyFor(reason);
        boolean crash = reason == ShutdownReason.CRASH;
        String what = "the guest " + (crash ? "crashed" : reason == ShutdownReason.REBOOT ? "rebooted" : "powered off");
        return switch (policy) {
            case Restart -> restart(s, d, reason, what);
            case Preserve -> {
                if (exit != null && exit.generation() != s.desired.generation()) {
                    yield Verdict.act(new Operation.Destroy(d.name(), DestroyReason.SPEC_CHANGED), DomainPhase.Booting,
                        Conditions.BOOTING, what + " and was preserved; the spec changed, so it is rebuilt");
                }
                yield Verdict.await(crash ? DomainPhase.Broken : DomainPhase.Halted, Conditions.PRESERVED, what
                    + "; the domain is preserved for inspection (policy Preserve). Change the spec or set "
                    + "activate: false to clear it", s.knobs.pollInterval());
            }
            case Destroy -> Verdict.act(new Operation.Destroy(d.name(), DestroyReason.POLICY_DESTROY),
                DomainPhase.Halting, crash ? Conditions.CRASHED : Conditions.POWERED_OFF,
                what + " and its policy is Destroy: tearing it down; it stays halted until the spec changes");
        };
    }

    private static Verdict restart(Situation s, DomainInfo d, ShutdownReason reason, String what) {
        Instant booted = s.journal.lastBootTime();
        if (reason == ShutdownReason.CRASH && booted != null) {
            Instant earliest = booted.plus(s.knobs.minRebootDelay());
            if (s.now.isBefore(earliest)) {
                return Verdict.awaitUntil(DomainPhase.Broken, Conditions.CRASH_BACKOFF, what + " within "
                    + s.knobs.minRebootDelay().toSeconds() + " s of booting (at " + Times.rfc3339(booted)
                    + "); restarting at " + Times.rfc3339(earliest), s.now, earliest);
            }
        }
        DestroyReason why = switch (reason) {
            case POWEROFF -> DestroyReason.POWEROFF_RESTART;
            case REBOOT -> DestroyReason.REBOOT_RESTART;
            default -> DestroyReason.CRASH_RESTART;
        };
        String condition = reason == ShutdownReason.CRASH ? Conditions.CRASHED : Conditions.REBOOTED;
        return Verdict.act(new Operation.Destroy(d.name(), why), DomainPhase.Booting, condition,
            what + "; restarting it (policy Restart)");
    }

    /** Rule 7. Live fields are read fresh every decision; restart-required ones wait or trigger a graceful reboot. */
    private static Verdict alive(Situation s, DomainInfo d) {
        Verdict saved = SaveRestoreRules.running(s, d);
        if (saved != null) {
            return saved;
        }
        Verdict pause = DesiredStateRules.running(s, d);
        if (pause != null) {
            return pause;
        }
        Verdict live = LiveResizeRules.resize(s, d);
        if (live != null) {
            return live;
        }
        List<String> pending = s.pendingChanges();
        if (!pending.isEmpty() && s.spec.restartOnConfigChangeOrDefault()) {
            return HaltRules.shutDown(s, d, Conditions.RESTARTING_TO_APPLY, "restarting to apply "
                + String.join(", ", pending));
        }
        return Verdict.await(DomainPhase.Running, Conditions.RUNNING, "domain " + d.name() + " (id "
            + d.domainId() + ") is running", s.knobs.pollInterval());
    }
}
