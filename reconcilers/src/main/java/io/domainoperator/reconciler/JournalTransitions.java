package io.domainoperator.reconciler;

import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.reconciler.Journal.Failure;
import io.domainoperator.reconciler.Journal.Intent;
import io.domainoperator.reconciler.Journal.Outcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How each operation changes the {@link Journal}: what its intent records before the side effect (so that a
 * process killed in between still finds what it may have made), and what its success or failure records after.
 * The journal's {@code withIntent}/{@code withSuccess}/{@code withFailure} are these.
 */
final class JournalTransitions {
    private JournalTransitions() {
    }

    /** Recorded just before a side effect. None records nothing. */
    static Journal intent(Journal j, Operation op, Instant now) {
        Objects.requireNonNull(now, "now");
        if (op instanceof Operation.None) {
            return j;
        }
        JournalEdit e = j.edit();
        e.intent = new Intent(op.kind(), now, j.generation(), Outcome.PENDING);
        if (op instanceof Operation.PrepareDisks p) {
            // A copy may land even if the process dies before the outcome: it must still be cleaned up.
            e.pendingDisks = union(j.pendingDisks(), p.sources());
        } else if (op instanceof Operation.AssignAdapters a) {
            e.pendingAdapters = union(j.pendingAdapters(), a.adapters());
        } else if (op instanceof Operation.CreatePaused c) {
            // Name and uuid first: if the process dies after the create, the next run still finds the domain.
            e.domainName = c.name();
            e.uuid = c.uuid();
            e.domainId = null;
            e.pausedByUs = false;
        } else if (op instanceof Operation.Shutdown
            && (j.shutdownRequestedAt() == null || j.shutdownGeneration() != j.generation())) {
            // An unconfirmed request counts as made: if the guest then powers off, that is our shutdown, not
            // the guest's own poweroff (whose policy might keep it down). If it was never made, the timeout
            // destroys the domain, which reaches the same state.
            e.shutdownRequestedAt = now;
            e.shutdownGeneration = j.generation();
            e.shutdownAsked = true;
        } else if (op instanceof Operation.SaveRestore sr) {
            SaveImageJournal.intent(j, e, sr, now);
        } else if (op instanceof Operation.Unpause) {
            SaveImageJournal.resumed(j, e);
        }
        return e.build();
    }

    /**
     * Recorded after the side effect succeeded.
     *
     * @param info what the hypervisor returned (CreatePaused), or null
     */
    static Journal success(Journal j, Operation op, Instant now, DomainInfo info) {
        Objects.requireNonNull(now, "now");
        JournalEdit e = j.edit();
        e.intent = j.intent() == null ? new Intent(op.kind(), now, j.generation(), Outcome.SUCCEEDED)
            : new Intent(j.intent().operation(), j.intent().at(), j.intent().generation(), Outcome.SUCCEEDED);
        if (j.lastFailure() != null && j.lastFailure().operation().equals(op.kind())) {
            e.lastFailure = null;
        }
        switch (op) {
            case Operation.None none -> {
                return j;
            }
            case Operation.ForgetDomain forget -> { return Journal.empty(); }
            case Operation.PrepareDisks p -> {
                e.preparedDisks = union(j.preparedDisks(), p.sources());
                e.pendingDisks = minus(j.pendingDisks(), p.sources());
                e.uuid = p.uuid();
            }
            case Operation.AssignAdapters a -> {
                e.assignedAdapters = union(j.assignedAdapters(), a.adapters());
                e.pendingAdapters = minus(j.pendingAdapters(), a.adapters());
            }
            case Operation.CreatePaused c -> {
                e.domainName = c.name();
                e.uuid = c.uuid();
                e.domainId = info == null ? null : info.domainId();
                e.pausedByUs = true;
                e.startedWith = StartedSpec.of(c.spec(), c.uuid());
                e.shutdownRequestedAt = null;
                e.shutdownAsked = false;
                e.exit = null;
            }
            case Operation.Unpause u -> {
                e.pausedByUs = false;
                e.bootAttempts = 0;
                e.bootFailure = null;
                e.lastFailure = null;
                e.lastBootTime = now;
                e.exit = null;
            }
            case Operation.Shutdown s -> {
                // Timed from the intent (see withIntent); a success without one starts the timer now.
                e.shutdownRequestedAt = j.shutdownRequestedAt() == null ? now : j.shutdownRequestedAt();
                e.shutdownAsked = true;
            }
            case Operation.Destroy d -> {
                e.domainEnded(j);
                e.startedWith = null;
                e.startedBy = null;
                if (d.reason().isRestart()) {
                    e.restartCount = j.restartCount() + 1;
                    e.lastRebootTime = now;
                }
                if (d.reason().isRestart() || d.reason() == DestroyReason.SPEC_CHANGED) {
                    e.exit = null;
                }
            }
            case Operation.ResizeLive r -> e.startedWith = LiveResizeRules.resized(j.startedWith(), r);
            case Operation.Pause p -> { } // the intent records it: DesiredStateRules resumes what it paused
            case Operation.Resume r -> { }
            case Operation.ReleaseAdapters r -> {
                e.assignedAdapters = minus(j.assignedAdapters(), r.adapters());
                e.pendingAdapters = minus(j.pendingAdapters(), r.adapters());
            }
            case Operation.CleanupDisks c -> {
                e.preparedDisks = minus(j.preparedDisks(), c.sources());
                e.pendingDisks = minus(j.pendingDisks(), c.sources());
            }
            case Operation.SaveRestore sr -> SaveImageJournal.success(j, e, sr, now, info);
            case Operation.Migration m -> {
                // A migration's progress lives in its DomainMigration's status, not in the domain's journal.
                return j;
            }
        }
        return e.build();
    }

    /** Recorded after the side effect failed. Boot steps count towards the boot-retry schedule. */
    static Journal failure(Journal j, Operation op, String error, Instant now) {
        Objects.requireNonNull(now, "now");
        if (op instanceof Operation.None) {
            return j;
        }
        JournalEdit e = j.edit();
        e.intent = j.intent() == null ? new Intent(op.kind(), now, j.generation(), Outcome.FAILED)
            : new Intent(j.intent().operation(), j.intent().at(), j.intent().generation(), Outcome.FAILED);
        e.lastFailure = new Failure(op.kind(), error == null ? "unknown error" : error, now, j.generation());
        if (op instanceof Operation.Shutdown) {
            // Ask again rather than wait out a timeout for a request that failed. An earlier request may still
            // reach the guest, so shutdownAsked stays.
            e.shutdownRequestedAt = null;
        }
        if (op instanceof Operation.SaveRestore sr) {
            SaveImageJournal.failure(j, e, sr, e.lastFailure.error());
        }
        if (op.isBootStep()) {
            e.bootAttempts = j.bootAttempts() + 1;
            e.bootFailure = e.lastFailure;
            // A boot that failed half-way starts over: whatever paused domain is left is rebuilt, not unpaused.
            e.pausedByUs = false;
        }
        return e.build();
    }

    static List<String> union(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        for (String s : b) {
            if (!out.contains(s)) {
                out.add(s);
            }
        }
        return out;
    }

    static List<String> minus(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.removeAll(b);
        return out;
    }
}
