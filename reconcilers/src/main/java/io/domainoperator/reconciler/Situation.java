package io.domainoperator.reconciler;

import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.api.v1alpha1.LifecyclePolicy;
import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.ShutdownReason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Everything one decision looks at, with the journal brought up to date with what the observation proves
 * (rule 4's new domain id, an unpause that happened before the process died, the guest's own stop). The rules
 * read it and may record more in {@link #journal}; nothing here performs anything.
 */
final class Situation {
    final DesiredDomain desired;
    final DomainConfigSpec spec;
    /** Our domain under the name we look for, or null when there is none. Never a foreign domain. */
    final DomainInfo observed;
    /** A domain with our name that this operator did not create, or null. Never touched. */
    final DomainInfo foreign;
    final List<AdapterView> adapters;
    final Dependencies deps;
    final Instant now;
    final Knobs knobs;
    /** The readiness probe's last result ({@link GuestReadiness#unknown()} when none ran or none is asked for). */
    GuestReadiness guest = GuestReadiness.unknown();
    /** The node's free and reserved memory (rule 11). */
    final NodeMemory memory;
    /** This agent's backend and version (rule 12), or null when the caller does not pin. */
    final StartedBy self;
    Journal journal;
    private List<DomainEvent> events;
    private List<String> pendingChanges;
    private AdapterRules.Check adapterCheck;

    private Situation(DesiredDomain desired, DomainInfo seen, Journal journal, List<AdapterView> adapters,
                      Dependencies deps, NodeMemory memory, Instant now, Knobs knobs, StartedBy self) {
        this.desired = desired;
        this.memory = memory;
        this.self = self;
        this.spec = desired.spec();
        this.observed = seen != null && seen.ours() && !alreadyDestroyed(seen, journal) ? seen : null;
        this.foreign = seen != null && !seen.ours() ? seen : null;
        this.journal = journal;
        this.adapters = adapters;
        this.deps = deps;
        this.now = now;
        this.knobs = knobs;
    }

    /** The observation shows the domain we destroyed last: it predates our destroy, so it is stale. */
    private static boolean alreadyDestroyed(DomainInfo seen, Journal j) {
        return j.goneDomainId() != null && j.goneDomainId() == seen.domainId()
            && (j.domainId() == null || j.domainId() != seen.domainId());
    }

    static Situation observe(DesiredDomain desired, DomainInfo seen, Journal journal, List<AdapterView> adapters,
                             Dependencies deps, NodeMemory memory, Instant now, Knobs knobs, StartedBy self) {
        Situation s = new Situation(desired, seen, journal, adapters, deps, memory, now, knobs, self);
        s.fold();
        return s;
    }

    /** Brings the journal up to date with facts the observation proves. Allocates only when something changed. */
    private void fold() {
        Journal j = journal;
        JournalEdit e = null;
        if (j.generation() != desired.generation()) {
            e = j.edit();
            e.generation = desired.generation();
        }
        if (!desired.wantsHalt() && j.haltWaitSince() != null) {
            e = e == null ? j.edit() : e;
            e.haltWaitSince = null;
        }
        DomainInfo d = observed;
        if (d != null) {
            if (j.domainId() == null) {
                // A domain of ours we have no id for: the create's outcome was never journaled, or the journal
                // was lost. Adopt it; whether it is usable is the rules' question.
                e = e == null ? j.edit() : e;
                e.domainId = d.domainId();
                e.domainName = d.name();
                if (j.uuid() == null && d.uuid() != null) {
                    e.uuid = d.uuid().toString();
                }
            } else if (j.domainId() != d.domainId()) {
                e = e == null ? j.edit() : e;
                e.domainId = d.domainId();
                e.pausedByUs = false;
                if (!j.inFlight() && sameUuid(j, d)) {
                    // Rule 4: same uuid, new id. The hypervisor rebuilt the domain (xl's on_reboot=restart).
                    e.restartCount = j.restartCount() + 1;
                    e.lastRebootTime = now;
                    e.exit = null;
                    event(DomainEvent.normal(io.domainoperator.api.v1alpha1.Conditions.REBOOTED,
                        "domain " + d.name() + " came back as id " + d.domainId() + " (was " + j.domainId()
                            + "): the guest rebooted"));
                }
            }
            if (j.inFlight(Operation.Pause.KIND) && d.state().paused() && !d.state().dying()
                || j.inFlight(Operation.Resume.KIND) && d.state().running()) {
                // A pause or resume took effect but its outcome was lost (the agent died after the call): it is done,
                // and a later reboot is counted as one again (rule 4 waits for no intent in flight). CrashMatrixIT's
                // PAUSE_AFTER and RESUME_AFTER points found the intent left pending for ever.
                e = e == null ? j.edit() : e;
                e.intent = new Journal.Intent(j.intent().operation(), j.intent().at(), j.intent().generation(),
                    Journal.Outcome.SUCCEEDED);
            }
            if (d.state().isAlive()) {
                if (j.pausedByUs()) {
                    // The unpause happened but its success was never journaled (rule 10): the boot completed.
                    e = e == null ? j.edit() : e;
                    e.pausedByUs = false;
                    e.bootAttempts = 0;
                    e.bootFailure = null;
                    e.lastFailure = null;
                    e.lastBootTime = j.intent() != null ? j.intent().at() : now;
                    if (j.inFlight()) {
                        e.intent = new Journal.Intent(j.intent().operation(), j.intent().at(),
                            j.intent().generation(), Journal.Outcome.SUCCEEDED);
                    }
                }
                if (j.exit() != null) {
                    // Running again (someone restarted it): the old stop no longer holds it.
                    e = e == null ? j.edit() : e;
                    e.exit = null;
                }
                if (j.startedBy() == null && self != null) {
                    // Rule 12: a journal from before the record; this backend sees the domain, so it is this one's.
                    e = e == null ? j.edit() : e;
                    e.startedBy = self;
                }
                if (j.startedWith() == null) {
                    // Adopted without a record of its spec: assume the current one, marked as assumed (pending
                    // changes unknown until the next boot; status says so).
                    e = e == null ? j.edit() : e;
                    e.startedWith = StartedSpec.assumed(spec, j.uuid() != null ? j.uuid() : uuidForNewDomain());
                }
                StartedSpec landed = LiveResizeRules.landedUnrecorded(j, spec, d);
                if (landed != null) {
                    // A live resize took effect but its outcome was lost (the agent died after the call, or a retry
                    // of it failed): the domain runs with what it shows, so that is what the journal says.
                    e = e == null ? j.edit() : e;
                    e.startedWith = landed;
                    boolean all = landed.changedFields(spec).stream().noneMatch(f -> f.equals("vcpus") || f.equals("memoryMiB"));
                    if (all && j.lastFailure() != null && j.lastFailure().operation().equals(Operation.ResizeLive.KIND)) {
                        e.lastFailure = null;
                    }
                    if (all && j.inFlight(Operation.ResizeLive.KIND)) {
                        e.intent = new Journal.Intent(j.intent().operation(), j.intent().at(),
                            j.intent().generation(), Journal.Outcome.SUCCEEDED);
                    }
                }
            } else if (d.state().hasStopped() && !j.shutdownAsked() && j.exit() == null
                && stopReason(d) != ShutdownReason.SUSPEND) {
                e = e == null ? j.edit() : e;
                ShutdownReason reason = stopReason(d);
                e.exit = new Journal.Exit(reason, policyFor(reason), now, desired.generation());
                if (reason == ShutdownReason.CRASH) {
                    event(DomainEvent.warning(io.domainoperator.api.v1alpha1.Conditions.CRASHED, "the guest of "
                        + d.name() + " crashed; policy onCrash: " + e.exit.policy()));
                }
            }
        }
        if (e != null) {
            journal = e.build();
        }
    }

    private static boolean sameUuid(Journal j, DomainInfo d) {
        return j.uuid() == null || d.uuid() == null || j.uuid().equalsIgnoreCase(d.uuid().toString());
    }

    /** Why the guest stopped; a crashed flag without a reason is a crash. */
    static ShutdownReason stopReason(DomainInfo d) {
        ShutdownReason r = d.state().shutdownReason();
        if (r == ShutdownReason.NONE || r == ShutdownReason.WATCHDOG) {
            return ShutdownReason.CRASH;
        }
        return r;
    }

    LifecyclePolicy policyFor(ShutdownReason reason) {
        return switch (reason) {
            case POWEROFF -> spec.onPoweroffOrDefault();
            case REBOOT -> spec.onRebootOrDefault();
            case CRASH, WATCHDOG, NONE -> spec.onCrashOrDefault();
            case SUSPEND -> LifecyclePolicy.Preserve;
        };
    }

    void event(DomainEvent e) {
        if (events == null) {
            events = new ArrayList<>(2);
        }
        events.add(e);
    }

    List<DomainEvent> events() {
        return events == null ? List.of() : events;
    }

    /** The name the domain has (or will have) on the hypervisor. */
    String hypervisorName() {
        return DomainDecider.hypervisorName(desired, journal);
    }

    /** The uuid to give a domain created now: spec.uuid, else the one we gave before, else one derived from the key. */
    String uuidForNewDomain() {
        if (spec.getUuid() != null) {
            return spec.getUuid();
        }
        if (journal.uuid() != null) {
            return journal.uuid();
        }
        return derivedUuid(desired.key());
    }

    /** The uuid in use: the domain's while one exists, else the one the next domain gets. */
    String uuidInUse() {
        if (observed != null && journal.uuid() != null) {
            return journal.uuid();
        }
        return uuidForNewDomain();
    }

    /**
     * A stable uuid per DomainConfig key, so that repeated answers after a crash name the same domain (no
     * randomness in a pure function). Name-based (type 3), scoped to this operator.
     */
    static String derivedUuid(String key) {
        return UUID.nameUUIDFromBytes(("domainoperator.io/" + key).getBytes(StandardCharsets.UTF_8)).toString();
    }

    Duration shutdownTimeout() {
        Integer s = spec.getShutdownTimeoutSeconds();
        return s != null ? Duration.ofSeconds(s) : knobs.defaultShutdownTimeout();
    }

    Duration bootRetry() {
        Integer s = spec.getBootRetrySeconds();
        return s != null ? Duration.ofSeconds(s) : knobs.bootRetry();
    }

    /** Restart-required fields changed since the running domain was created (rule 7). */
    List<String> pendingChanges() {
        if (pendingChanges == null) {
            StartedSpec started = journal.startedWith();
            pendingChanges = observed == null || started == null ? List.of() : started.changedFields(spec);
        }
        return pendingChanges;
    }

    AdapterRules.Check adapterCheck() {
        if (adapterCheck == null) {
            adapterCheck = AdapterRules.check(desired.key(), spec.getAdapters(), adapters);
        }
        return adapterCheck;
    }

    /**
     * Whether a domain of this DomainConfig may exist although none is observed: we created one, or tried to, and
     * have not destroyed it since. Disks and adapters are not touched until an (idempotent)
     * destroy has confirmed it gone. A foreign domain under the name proves ours is gone.
     */
    boolean domainMayExist() {
        if (foreign != null) {
            return false; // names are unique on a node: the name is taken by a domain that is not ours
        }
        // domainName is journaled with the CreatePaused intent and cleared only by a successful destroy: a create
        // that failed may have left a shell under it (the half-created case), an unconfirmed one may have worked.
        return journal.domainName() != null || journal.domainId() != null;
    }

    void recordHaltWait() {
        if (journal.haltWaitSince() == null) {
            JournalEdit e = journal.edit();
            e.haltWaitSince = now;
            journal = e.build();
        }
    }
}
