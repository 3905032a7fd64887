package io.domainoperator.reconciler;

import io.domainoperator.api.v1alpha1.Conditions;
import io.domainoperator.api.v1alpha1.Disk;
import io.domainoperator.api.v1alpha1.DomainConfigValidator;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.api.v1alpha1.FieldError;
import io.domainoperator.api.v1alpha1.LifecyclePolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Rules 1, 6 (start side), 8 and 11: no domain of ours exists and one should. Checks in order: held halted by a
 * lifecycle policy, valid spec, no startAfter cycle, dependencies Running (and GuestReady when they have a readiness
 * probe), adapters free, boot-retry schedule, memory free on the node;
 * then one boot step: prepare disks, (re)assign adapters, create paused. Unpausing is {@link LifecycleRules}'
 * business, since by then the domain exists.
 */
final class BootRules {
    private BootRules() {
    }

    static Verdict boot(Situation s) {
        Journal j = s.journal;
        if (s.domainMayExist() && j.domainName() != null && !j.domainName().equals(s.spec.getDisplayName())) {
            // The create below is safe to repeat only because the backend refuses a name in use. Under a new
            // name it would not be refused, so the domain journaled under the old name must be confirmed gone
            // first (an observation that misses it may be stale).
            return Verdict.act(new Operation.Destroy(j.domainName(), DestroyReason.SPEC_CHANGED), DomainPhase.Booting,
                Conditions.BOOTING, "domain " + j.domainName() + " is not listed; destroying it by name before "
                    + "creating " + s.spec.getDisplayName());
        }
        Verdict suspended = SaveRestoreRules.absentWhileSuspended(s);
        if (suspended != null) {
            return suspended;
        }
        Journal.Exit exit = j.exit();
        if (exit != null && exit.policy() != LifecyclePolicy.Restart && exit.generation() == s.desired.generation()) {
            return heldByPolicy(s, exit);
        }
        List<FieldError> errors = DomainConfigValidator.validate(s.desired.name(), s.spec);
        if (!errors.isEmpty()) {
            return Verdict.await(DomainPhase.Broken, Conditions.INVALID_SPEC, errors.stream()
                .map(FieldError::toString).collect(Collectors.joining("; ")), s.knobs.pollInterval());
        }
        if (!s.deps.cycle().isEmpty()) {
            return Verdict.await(DomainPhase.Broken, Conditions.DEPENDENCY_CYCLE, "spec.startAfter forms a cycle: "
                + String.join(" -> ", s.deps.cycle()) + "; remove one of these names from a startAfter list",
                s.knobs.pollInterval());
        }
        List<String> waiting = s.deps.notReady(s.spec.getStartAfter());
        if (!waiting.isEmpty()) {
            return Verdict.await(DomainPhase.Scheduled, Conditions.WAITING_FOR_DEPENDENCY, "waiting for "
                + String.join(", ", waiting.stream().map(s.deps::waitedFor).toList())
                + " to be Running (spec.startAfter)", s.knobs.pollInterval());
        }
        AdapterRules.Check adapters = s.adapterCheck();
        if (!adapters.ok()) {
            return Verdict.await(DomainPhase.Broken, adapters.reason(), adapters.message(), s.knobs.pollInterval());
        }
        Verdict retry = retryWait(s);
        if (retry != null) {
            return retry;
        }
        Verdict memory = MemoryRules.admit(s);
        if (memory != null) {
            return memory;
        }
        return nextBootStep(s, adapters);
    }

    /** The guest stopped itself, its policy said Destroy (or Preserve and the shell is gone): stay halted. */
    private static Verdict heldByPolicy(Situation s, Journal.Exit exit) {
        if (s.domainMayExist() && s.journal.domainName() != null) {
            // Not listed, but journaled: make sure the shell is gone before its adapters go back to the host.
            return Verdict.act(new Operation.Destroy(s.journal.domainName(), DestroyReason.STOPPED), DomainPhase.Halted,
                reasonFor(exit), heldMessage(exit));
        }
        if (!s.journal.adaptersToRelease().isEmpty()) {
            return Verdict.act(new Operation.ReleaseAdapters(s.journal.adaptersToRelease()), DomainPhase.Halted,
                reasonFor(exit), heldMessage(exit));
        }
        return Verdict.await(DomainPhase.Halted, reasonFor(exit), heldMessage(exit), s.knobs.pollInterval());
    }

    static String reasonFor(Journal.Exit exit) {
        if (exit.policy() == LifecyclePolicy.Preserve) {
            return Conditions.PRESERVED;
        }
        return switch (exit.reason()) {
            case POWEROFF -> Conditions.POWERED_OFF;
            case REBOOT -> Conditions.REBOOTED;
            default -> Conditions.CRASHED;
        };
    }

    private static String heldMessage(Journal.Exit exit) {
        return "the guest stopped (" + exit.reason() + ") at " + Times.rfc3339(exit.at()) + " and its policy is "
            + exit.policy() + "; it stays halted until the spec changes (e.g. toggle activate)";
    }

    /**
     * EVE's schedule: a round of {@code quickBootRetries} attempts {@code quickRetryDelay} apart, then
     * {@code bootRetry} before the next round. A changed spec does not wait: the user may have fixed the cause.
     */
    private static Verdict retryWait(Situation s) {
        Journal j = s.journal;
        Journal.Failure f = j.bootFailure();
        if (j.bootAttempts() == 0 || f == null || f.generation() < s.desired.generation()) {
            return null;
        }
        boolean roundOver = j.bootAttempts() % s.knobs.quickBootRetries() == 0;
        Instant next = f.at().plus(roundOver ? s.bootRetry() : s.knobs.quickRetryDelay());
        if (!s.now.isBefore(next)) {
            return null;
        }
        String message = "boot attempt " + j.bootAttempts() + " failed in " + f.operation() + ": " + f.error()
            + (roundOver ? "; " + j.bootAttempts() + " attempts failed, next round at " : "; retrying at ")
            + Times.rfc3339(next);
        return Verdict.awaitUntil(DomainPhase.Broken,
            roundOver ? Conditions.BOOT_RETRY_SCHEDULED : Conditions.BOOT_FAILED, message, s.now, next)
            .withNextBootRetry(next);
    }

    private static Verdict nextBootStep(Situation s, AdapterRules.Check adapters) {
        Journal j = s.journal;
        String uuid = s.uuidForNewDomain();
        List<String> toCopy = null;
        for (Disk d : s.spec.getDisks()) {
            if (d.copyOnStartOrDefault() && !j.preparedDisks().contains(d.getSource())) {
                toCopy = toCopy == null ? new ArrayList<>(2) : toCopy;
                toCopy.add(d.getSource());
            }
        }
        if (toCopy != null) {
            return booting(new Operation.PrepareDisks(toCopy, uuid), "copying disks " + String.join(", ", toCopy));
        }
        List<String> wanted = s.spec.getAdapters();
        List<String> extra = minus(j.adaptersToRelease(), wanted);
        if (!extra.isEmpty()) {
            // Adapters dropped from the spec go back to the host before the new domain is built.
            return booting(new Operation.ReleaseAdapters(extra), "releasing adapters " + String.join(", ", extra)
                + " no longer in spec.adapters");
        }
        List<String> missing = notHeld(s, wanted, j.assignedAdapters());
        if (!missing.isEmpty()) {
            return booting(new Operation.AssignAdapters(missing), "assigning adapters " + String.join(", ", missing));
        }
        Verdict restore = SaveRestoreRules.restoreInsteadOfCreate(s, uuid, adapters.pciAddresses());
        if (restore != null) {
            return restore;
        }
        PinRules.pinForCreate(s);
        return booting(new Operation.CreatePaused(s.spec.getDisplayName(), uuid, s.spec, adapters.pciAddresses()),
            "creating domain " + s.spec.getDisplayName() + " paused");
    }

    private static Verdict booting(Operation op, String message) {
        return Verdict.act(op, DomainPhase.Booting, Conditions.BOOTING, message);
    }

    /**
     * Wanted adapters not held by this DomainConfig. The adapter's own record of its holder ({@code assignedTo})
     * decides, not our journal: another DomainConfig may have taken it over (while we had no domain) and even
     * released it since. Only adapters recorded as ours are passed to a create.
     */
    private static List<String> notHeld(Situation s, List<String> wanted, List<String> assigned) {
        List<String> out = null;
        for (String a : wanted) {
            if (!assigned.contains(a) || !heldByUs(s, a)) {
                out = out == null ? new ArrayList<>(2) : out;
                out.add(a);
            }
        }
        return out == null ? List.of() : out;
    }

    private static boolean heldByUs(Situation s, String adapter) {
        for (AdapterView v : s.adapters) {
            if (v.name().equals(adapter)) {
                return s.desired.key().equals(v.heldBy());
            }
        }
        return false;
    }

    private static List<String> minus(List<String> a, List<String> b) {
        List<String> out = null;
        for (String x : a) {
            if (!b.contains(x)) {
                out = out == null ? new ArrayList<>(2) : out;
                out.add(x);
            }
        }
        return out == null ? List.of() : out;
    }
}
