package io.domainoperator.reconciler;

import io.domainoperator.api.v1alpha1.LifecyclePolicy;
import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.ShutdownReason;
import java.time.Instant;
import java.util.List;

/**
 * The per-domain journal the node agent persists atomically (write temp, fsync, rename) before and after every
 * side effect. It is what lets a process killed anywhere ask the engine again and get a safe answer (rule 10).
 * Immutable, in records by concern: which domain is ours ({@link Identity}), how its boots went ({@link Boot}),
 * the halt we asked for ({@link Halt}), what we hold for it ({@link Holdings}) and the guest's own stop
 * ({@link Exit}). The flat accessors ({@code j.bootAttempts()}, ...) read through to them. Helper methods avoid
 * the get/is prefixes so that they are not taken for properties; the agent stores the journal in a flat JSON
 * shape of its own ({@code io.domainoperator.controller.journal.JournalFile}).
 *
 * <p>The controller's protocol: {@code j = decision.journal()}; if the operation is not None,
 * {@code j = j.withIntent(op, now)} and persist; perform; then persist {@code j.withSuccess(op, now, info)} or
 * {@code j.withFailure(op, error, now)}.
 *
 * @param generation  DomainConfig generation the engine last decided for (journaled with intents)
 * @param intent      the last intent; outcome PENDING means its side effect is unconfirmed
 * @param lastFailure the last failed operation of any kind; cleared when that kind next succeeds
 * @param identity    the domain we created (or are creating)
 * @param boot        boots, failed boots and restarts
 * @param halt        the shutdown we asked for, and a deletion's wait for dependents
 * @param holdings    disk copies and adapters held for the domain
 * @param exit        the guest's own stop the engine has seen (crash, poweroff, reboot) and its policy
 * @param orphanSince when the domain was first seen without a DomainConfig
 */
public record Journal(long generation, Intent intent, Failure lastFailure, Identity identity, Boot boot, Halt halt,
                      Holdings holdings, Exit exit, Instant orphanSince) {

    private static final Journal EMPTY = new Journal(0, null, null, null, null, null, null, null, null);

    /**
     * The domain we created (or are creating).
     *
     * @param domainName   hypervisor name of the domain; null when none exists
     * @param uuid         the uuid given to the domain (spec.uuid, or the one the engine derived)
     * @param domainId     hypervisor id last seen; null when no domain exists
     * @param goneDomainId id of the domain we last destroyed: an observation still showing it is stale
     * @param startedWith  the restart-required part of the spec the current domain was created from
     * @param startedBy    the backend and agent that created it (rule 12); null for journals from before the record
     */
    public record Identity(String domainName, String uuid, Integer domainId, Integer goneDomainId,
                           StartedSpec startedWith, StartedBy startedBy) {
        static final Identity NONE = new Identity(null, null, null, null, null, null);

        public Identity(String domainName, String uuid, Integer domainId, Integer goneDomainId, StartedSpec startedWith) {
            this(domainName, uuid, domainId, goneDomainId, startedWith, null);
        }
    }

    /**
     * Boots and restarts.
     *
     * @param pausedByUs     we created the domain paused and have not unpaused it: a paused, zero-CPU domain with
     *                       this id is ours to unpause, not a half-created one
     * @param attempts       failed boot attempts since the last successful boot
     * @param failure        the last failed boot step (status.lastBootError); cleared by a successful boot
     * @param restartCount   restarts after a guest crash, poweroff or reboot (and reboots seen as a new id)
     * @param lastBootTime   when the last boot completed (Unpause succeeded)
     * @param lastRebootTime when the domain last restarted
     */
    public record Boot(boolean pausedByUs, int attempts, Failure failure, int restartCount, Instant lastBootTime,
                       Instant lastRebootTime) {
        static final Boot NONE = new Boot(false, 0, null, 0, null, null);

        public Boot {
            if (attempts < 0 || restartCount < 0) {
                throw new IllegalArgumentException("bootAttempts and restartCount cannot be negative");
            }
        }
    }

    /**
     * The halt we asked for.
     *
     * @param shutdownAsked       we asked the current domain to shut down (or may have: the intent was journaled).
     *                            Kept until the domain is gone: a poweroff after it is ours, not the guest's own
     * @param shutdownRequestedAt when we asked, for {@code shutdownGeneration}; the timeout runs from here
     * @param shutdownGeneration  the generation the request was made for; a halt wished for a later generation
     *                            asks again with a fresh timeout
     * @param haltWaitSince       when a deletion started waiting for dependents to halt
     */
    public record Halt(boolean shutdownAsked, Instant shutdownRequestedAt, long shutdownGeneration,
                       Instant haltWaitSince) {
        static final Halt NONE = new Halt(false, null, 0, null);
    }

    /**
     * What we hold for the domain.
     *
     * @param preparedDisks    {@code disk.source} of the per-domain copies known to exist
     * @param assignedAdapters adapters known to be bound for this domain
     * @param pendingDisks     copies that may exist: PrepareDisks journaled, success not (yet) confirmed
     * @param pendingAdapters  adapters that may be bound: AssignAdapters journaled, success not (yet) confirmed
     * @param saveImage        the guest's save image (issue 18), or null
     */
    public record Holdings(List<String> preparedDisks, List<String> assignedAdapters, List<String> pendingDisks,
                           List<String> pendingAdapters, SaveImage saveImage) {
        static final Holdings NONE = new Holdings(List.of(), List.of(), List.of(), List.of(), null);

        public Holdings {
            preparedDisks = preparedDisks == null ? List.of() : List.copyOf(preparedDisks);
            assignedAdapters = assignedAdapters == null ? List.of() : List.copyOf(assignedAdapters);
            pendingDisks = pendingDisks == null ? List.of() : List.copyOf(pendingDisks);
            pendingAdapters = pendingAdapters == null ? List.of() : List.copyOf(pendingAdapters);
        }

        public Holdings(List<String> preparedDisks, List<String> assignedAdapters, List<String> pendingDisks,
                        List<String> pendingAdapters) {
            this(preparedDisks, assignedAdapters, pendingDisks, pendingAdapters, null);
        }
    }

    /** Whether the side effect of an intent is known. */
    public enum Outcome { PENDING, SUCCEEDED, FAILED }

    /** An operation we were about to perform (or performed), for the DomainConfig generation then current. */
    public record Intent(String operation, Instant at, long generation, Outcome outcome) {
    }

    /** A failed operation and its error, as reported to the user in status. */
    public record Failure(String operation, String error, Instant at, long generation) {
    }

    /** A stop the guest chose, and the policy that applied when the engine saw it. */
    public record Exit(ShutdownReason reason, LifecyclePolicy policy, Instant at, long generation) {
    }

    public Journal {
        identity = identity == null ? Identity.NONE : identity;
        boot = boot == null ? Boot.NONE : boot;
        halt = halt == null ? Halt.NONE : halt;
        holdings = holdings == null ? Holdings.NONE : holdings;
    }

    // Read-through accessors: the engine's rules read facts, whatever record holds them.

    public String domainName() {
        return identity.domainName();
    }

    public String uuid() {
        return identity.uuid();
    }

    public Integer domainId() {
        return identity.domainId();
    }

    public Integer goneDomainId() {
        return identity.goneDomainId();
    }

    public StartedSpec startedWith() {
        return identity.startedWith();
    }

    public StartedBy startedBy() {
        return identity.startedBy();
    }

    public boolean pausedByUs() {
        return boot.pausedByUs();
    }

    public int bootAttempts() {
        return boot.attempts();
    }

    public Failure bootFailure() {
        return boot.failure();
    }

    public int restartCount() {
        return boot.restartCount();
    }

    public Instant lastBootTime() {
        return boot.lastBootTime();
    }

    public Instant lastRebootTime() {
        return boot.lastRebootTime();
    }

    public boolean shutdownAsked() {
        return halt.shutdownAsked();
    }

    public Instant shutdownRequestedAt() {
        return halt.shutdownRequestedAt();
    }

    public long shutdownGeneration() {
        return halt.shutdownGeneration();
    }

    public Instant haltWaitSince() {
        return halt.haltWaitSince();
    }

    public List<String> preparedDisks() {
        return holdings.preparedDisks();
    }

    public List<String> assignedAdapters() {
        return holdings.assignedAdapters();
    }

    public List<String> pendingDisks() {
        return holdings.pendingDisks();
    }

    public List<String> pendingAdapters() {
        return holdings.pendingAdapters();
    }

    public SaveImage saveImage() {
        return holdings.saveImage();
    }

    /** Adapters that may be bound for this domain: what a release must cover. */
    public List<String> adaptersToRelease() {
        return pendingAdapters().isEmpty() ? assignedAdapters() : JournalTransitions.union(assignedAdapters(), pendingAdapters());
    }

    /** Disk copies that may exist: what a cleanup must cover. */
    public List<String> disksToClean() {
        return pendingDisks().isEmpty() ? preparedDisks() : JournalTransitions.union(preparedDisks(), pendingDisks());
    }

    /** The journal of a domain the agent has never acted on. */
    public static Journal empty() {
        return EMPTY;
    }

    /** An intent whose side effect may or may not have happened: the process stopped in between. */
    public boolean inFlight() {
        return intent != null && intent.outcome() == Outcome.PENDING;
    }

    /** Whether the in-flight intent is this operation kind. */
    boolean inFlight(String operationKind) {
        return inFlight() && intent.operation().equals(operationKind);
    }

    /** Recorded just before a side effect. None records nothing. */
    public Journal withIntent(Operation op, Instant now) {
        return JournalTransitions.intent(this, op, now);
    }

    /**
     * Recorded after the side effect succeeded.
     *
     * @param info what the hypervisor returned (CreatePaused), or null
     */
    public Journal withSuccess(Operation op, Instant now, DomainInfo info) {
        return JournalTransitions.success(this, op, now, info);
    }

    /** Recorded after the side effect failed. Boot steps count towards the boot-retry schedule. */
    public Journal withFailure(Operation op, String error, Instant now) {
        return JournalTransitions.failure(this, op, error, now);
    }

    JournalEdit edit() {
        return new JournalEdit(this);
    }
}
