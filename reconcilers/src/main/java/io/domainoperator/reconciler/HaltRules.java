package io.domainoperator.reconciler;

import io.domainoperator.api.v1alpha1.Conditions;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.hypervisor.DomainInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Rules 5 and 6 (halt side): graceful shutdown, destroy after the timeout, release adapters, and on deletion
 * clean the disk copies and forget the domain. Dependents halt first. Disks and adapters are touched only once
 * no domain of this DomainConfig can exist: none observed, and none journaled that a destroy has not confirmed
 * gone.
 */
final class HaltRules {
    private HaltRules() {
    }

    static Verdict halt(Situation s) {
        boolean deleting = s.desired.deletionRequested();
        String why = deleting ? Conditions.DELETING : Conditions.DEACTIVATED;
        DomainInfo d = s.observed;
        Journal j = s.journal;
        // Not listed is not gone: a domain the journal says may exist is halted by name below, so it waits for its
        // dependents as a listed one does (a listing older than a restore or create shows nothing).
        if (d != null || s.domainMayExist()) {
            Verdict wait = waitForDependents(s, deleting);
            if (wait != null) {
                return wait;
            }
        }
        if (d != null) {
            Verdict again = pressAgain(s, d, why, deleting ? "deleting: " : "activate is false: ");
            if (again != null) {
                return again;
            }
            return haltPresent(d, s.journal, s.shutdownTimeout(), s.now, s.knobs, why,
                deleting ? "deleting: " : "activate is false: ");
        }
        if (s.domainMayExist()) {
            String name = s.hypervisorName();
            return Verdict.act(new Operation.Destroy(name, DestroyReason.STOPPED), DomainPhase.Halting, why,
                "domain " + name + " is not listed; destroying it by name to be sure before releasing its resources");
        }
        Verdict aside = SaveRestoreRules.haltedWhileSaved(s, why);
        if (aside != null) {
            return aside;
        }
        if (!j.adaptersToRelease().isEmpty()) {
            return Verdict.act(new Operation.ReleaseAdapters(j.adaptersToRelease()), DomainPhase.Halting, why,
                "releasing adapters " + String.join(", ", j.adaptersToRelease()));
        }
        if (deleting && !s.spec.keepDisksOnDeleteOrDefault() && !j.disksToClean().isEmpty()) {
            return Verdict.act(new Operation.CleanupDisks(j.disksToClean(), s.uuidInUse()), DomainPhase.Halting,
                why, "removing the disk copies of " + String.join(", ", j.disksToClean()));
        }
        Verdict images = deleting ? SaveRestoreRules.deletedWithImages(s, why) : null;
        if (images != null) {
            return images;
        }
        if (deleting) {
            return Verdict.act(new Operation.ForgetDomain(), DomainPhase.Halted, why,
                "the domain is halted and its resources released; deletion can complete");
        }
        return Verdict.await(DomainPhase.Halted, why, "the domain is halted (activate is false)",
            s.knobs.pollInterval());
    }

    /**
     * Rule 6: not while a dependent is up. Deletion waits at most {@code dependentHaltDeadline} (from the first
     * wait), then halts anyway: a deleted object must be able to go.
     */
    private static Verdict waitForDependents(Situation s, boolean deleting) {
        List<String> up = s.deps.dependentsUp();
        if (up.isEmpty()) {
            return null;
        }
        Instant since = s.journal.haltWaitSince();
        if (deleting && since != null && !s.now.isBefore(since.plus(s.knobs.dependentHaltDeadline()))) {
            return null;
        }
        s.recordHaltWait();
        String message = "halt waits for " + String.join(", ", up) + " to halt first (they name this domain in "
            + "spec.startAfter)";
        if (deleting) {
            Instant deadline = s.journal.haltWaitSince().plus(s.knobs.dependentHaltDeadline());
            return Verdict.awaitUntil(DomainPhase.Halting, Reasons.WAITING_FOR_DEPENDENTS, message
                + "; deletion halts it anyway at " + Times.rfc3339(deadline), s.now,
                min(deadline, s.now.plus(s.knobs.pollInterval())));
        }
        return Verdict.await(DomainPhase.Halting, Reasons.WAITING_FOR_DEPENDENTS, message, s.knobs.pollInterval());
    }

    /**
     * A power-button press has no acknowledgement but the guest going down, and one made while the guest was still
     * booting (before its ACPI daemon listened) is lost. So for a domain with a readinessProbe, the request is
     * repeated every {@link #POWER_BUTTON_REPEAT} while the probe still says the guest is up and the timeout has not
     * passed; the timeout still runs from the first request. Without a probe nothing tells a lost press from a slow
     * shutdown: one request, then the timeout.
     */
    private static Verdict pressAgain(Situation s, DomainInfo d, String reason, String prefix) {
        Journal j = s.journal;
        Instant requestedAt = currentRequest(j);
        if (s.spec.getReadinessProbe() == null || requestedAt == null || !s.guest.readyFor(d.domainId())
            || d.state().hasStopped() || d.state().dying() || d.state().paused()) {
            return null;
        }
        Journal.Intent last = j.intent();
        Instant lastPress = last != null && last.operation().equals(new Operation.Shutdown(d.name()).kind())
            && last.at().isAfter(requestedAt) ? last.at() : requestedAt;
        Instant deadline = requestedAt.plus(s.shutdownTimeout());
        Instant next = lastPress.plus(POWER_BUTTON_REPEAT);
        if (!s.now.isBefore(deadline) || !next.isBefore(deadline)) {
            return null;
        }
        if (s.now.isBefore(next)) {
            return Verdict.awaitUntil(DomainPhase.Halting, reason, prefix + "asked the guest to shut down at "
                + Times.rfc3339(requestedAt) + "; pressing the power button again at " + Times.rfc3339(next)
                + " while it counts as up, destroying it at " + Times.rfc3339(deadline) + " if it has not shut down",
                s.now, next);
        }
        return Verdict.act(new Operation.Shutdown(d.name()), DomainPhase.Halting, reason, prefix + "the guest still "
            + "counts as up (spec.readinessProbe) since the request at " + Times.rfc3339(requestedAt)
            + "; pressing the power button again (destroying it at " + Times.rfc3339(deadline) + " if it has not shut down)");
    }

    /** How often an unacknowledged power-button press is repeated (see {@link #pressAgain}). */
    static final Duration POWER_BUTTON_REPEAT = Duration.ofSeconds(10);

    /** Halts an existing domain of ours one step at a time. Shared with orphans. */
    static Verdict haltPresent(DomainInfo d, Journal j, Duration timeout, Instant now, Knobs knobs, String reason,
                               String prefix) {
        if (d.state().dying()) {
            return Verdict.await(DomainPhase.Halting, Reasons.DYING, prefix + "domain " + d.name()
                + " is being torn down by the hypervisor", knobs.quickRetryDelay());
        }
        if (d.state().hasStopped()) {
            DestroyReason why = j.shutdownAsked() ? DestroyReason.SHUTDOWN_COMPLETE : DestroyReason.STOPPED;
            return Verdict.act(new Operation.Destroy(d.name(), why), DomainPhase.Halting, reason,
                prefix + "the guest has stopped; removing the domain");
        }
        // A guest restored from its image whose unpause was journaled (the image counts as stale from then on) ran
        // before its save: destroyed as never started, its state would be lost with the image removed next
        // (ConvergenceProperties: the agent killed before the unpause, then the domain deactivated). It is let run and
        // shut down as any guest.
        boolean restored = j.saveImage() != null && j.saveImage().stale();
        if (d.state().paused() && !restored) {
            if (LifecycleRules.createdByUsPaused(j, d)) {
                return Verdict.act(new Operation.Destroy(d.name(), DestroyReason.NEVER_STARTED), DomainPhase.Halting,
                    reason, prefix + "the domain was created but never started; destroying it");
            }
            if (d.looksHalfCreated()) {
                return Verdict.act(new Operation.Destroy(d.name(), DestroyReason.HALF_CREATED), DomainPhase.Halting,
                    reason, prefix + "the domain is half-created; destroying it");
            }
        }
        if (d.state().paused()) {
            // A paused guest cannot act on a shutdown request; let it run so that it can shut down cleanly.
            return Verdict.act(new Operation.Unpause(d.name()), DomainPhase.Halting, reason,
                prefix + "unpausing the domain so that the guest can shut down cleanly");
        }
        return shutDown(d, currentRequest(j), timeout, now, reason, prefix);
    }

    /** The shutdown request made for the current wish, or null: one made for an earlier generation is asked again. */
    private static Instant currentRequest(Journal j) {
        return j.shutdownGeneration() == j.generation() ? j.shutdownRequestedAt() : null;
    }

    /** A running domain that should go: rule 7's graceful reboot. */
    static Verdict shutDown(Situation s, DomainInfo d, String reason, String prefix) {
        return shutDown(d, currentRequest(s.journal), s.shutdownTimeout(), s.now, reason, prefix + ": ");
    }

    private static Verdict shutDown(DomainInfo d, Instant requestedAt, Duration timeout, Instant now, String reason,
                                    String prefix) {
        if (requestedAt == null) {
            return Verdict.act(new Operation.Shutdown(d.name()), DomainPhase.Halting, reason,
                prefix + "asking the guest to shut down (timeout " + timeout.toSeconds() + " s)");
        }
        Instant deadline = requestedAt.plus(timeout);
        if (!now.isBefore(deadline)) {
            return Verdict.act(new Operation.Destroy(d.name(), DestroyReason.FORCED), DomainPhase.Halting,
                Conditions.SHUTDOWN_FORCED, prefix + "the guest did not shut down within " + timeout.toSeconds()
                    + " s of the request at " + Times.rfc3339(requestedAt) + "; destroying it (forced poweroff)");
        }
        return Verdict.awaitUntil(DomainPhase.Halting, reason, prefix + "asked the guest to shut down at "
            + Times.rfc3339(requestedAt) + "; destroying it at " + Times.rfc3339(deadline) + " if it has not",
            now, deadline);
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
