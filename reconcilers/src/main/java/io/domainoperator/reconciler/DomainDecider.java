package io.domainoperator.reconciler;

import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.hypervisor.DomainInfo;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The decision engine: given what a DomainConfig asks for, what the hypervisor shows, the domain's journal and
 * the clock, the one operation that moves the domain towards a valid state, the status to report and when to
 * look again. Pure and thread-safe: no I/O, no clock of its own, no state between calls.
 *
 * <p>How the controller drives it, per domain and never twice at once for the same domain:
 * <ol>
 *   <li>observe: find the domain named {@link #hypervisorName(DesiredDomain, Journal)} in one
 *       {@code listDomains()} poll;</li>
 *   <li>{@code decision = decide(...)}; {@code journal = decision.journal()};</li>
 *   <li>if {@code decision.hasOperation()}: persist {@code journal.withIntent(op, now)}, perform the operation,
 *       persist {@code withSuccess(op, now, info)} or {@code withFailure(op, error, now)}; otherwise persist the
 *       journal if it differs from the one passed in;</li>
 *   <li>write {@code decision.status()} if it differs from lastStatus; record {@code decision.events()};</li>
 *   <li>requeue after {@code decision.requeueAfter()} (ZERO after an operation: observe its effect at once).</li>
 * </ol>
 * A process killed at any point repeats from step 1 and gets a safe answer (rule 10; see the tests named so).
 */
public final class DomainDecider {
    private final Knobs knobs;
    private final StartedBy self;

    /** An engine that neither records nor checks which backend started a domain (rule 12 off). */
    public DomainDecider(Knobs knobs) {
        this(knobs, null);
    }

    /**
     * @param self this agent's backend and version: journaled with each create, and a domain another backend
     *             started is left alone (rule 12)
     */
    public DomainDecider(Knobs knobs, StartedBy self) {
        this.knobs = Objects.requireNonNull(knobs, "knobs");
        this.self = self;
    }

    public Knobs knobs() {
        return knobs;
    }

    /**
     * Decides for a domain that has a DomainConfig.
     *
     * @param desired   the DomainConfig's spec, generation, deletion wish and last written status
     * @param observed  the domain named {@link #hypervisorName} as listed now (ours or foreign), or empty
     * @param journal   the domain's journal ({@link Journal#empty()} for a new one)
     * @param adapters  a view of each adapter named in spec.adapters (missing names count as missing adapters)
     * @param deps      the startAfter neighbourhood ({@link Dependencies#none()} when there is none)
     * @param now       the current time, from the controller's clock
     */
    public Decision decide(DesiredDomain desired, Optional<DomainInfo> observed, Journal journal,
                           List<AdapterView> adapters, Dependencies deps, Instant now) {
        return decide(desired, observed, journal, adapters, deps, GuestReadiness.unknown(), NodeMemory.UNKNOWN, now);
    }

    /**
     * As above, with the readiness probe's last result for a domain with spec.readinessProbe (it becomes the
     * GuestReady condition, and Ready follows it).
     */
    public Decision decide(DesiredDomain desired, Optional<DomainInfo> observed, Journal journal,
                           List<AdapterView> adapters, Dependencies deps, GuestReadiness guest, Instant now) {
        return decide(desired, observed, journal, adapters, deps, guest, NodeMemory.UNKNOWN, now);
    }

    /** As above, with the node's memory known (rule 11) and no readiness probe result. */
    public Decision decide(DesiredDomain desired, Optional<DomainInfo> observed, Journal journal,
                           List<AdapterView> adapters, Dependencies deps, NodeMemory memory, Instant now) {
        return decide(desired, observed, journal, adapters, deps, GuestReadiness.unknown(), memory, now);
    }

    /**
     * Decides with the readiness probe's last result (rule 13) and the node's memory (rule 11): a domain that does
     * not fit is not booted.
     *
     * @param guest  the probe's verdict on the current boot ({@link GuestReadiness#unknown()}: no probe ran)
     * @param memory the node's free memory and what other domains being started reserve
     *               ({@link NodeMemory#UNKNOWN} admits every boot)
     */
    public Decision decide(DesiredDomain desired, Optional<DomainInfo> observed, Journal journal,
                           List<AdapterView> adapters, Dependencies deps, GuestReadiness guest, NodeMemory memory,
                           Instant now) {
        Objects.requireNonNull(desired, "desired");
        Objects.requireNonNull(journal, "journal");
        Objects.requireNonNull(now, "now");
        Situation s = Situation.observe(desired, observed.orElse(null), journal,
            adapters == null ? List.of() : adapters, deps == null ? Dependencies.none() : deps,
            memory == null ? NodeMemory.UNKNOWN : memory, now, knobs, self);
        s.guest = guest == null ? GuestReadiness.unknown() : guest;
        Verdict v = retryGate(s.journal, nextStep(s), now, knobs);
        return StatusBuilder.decision(s, v);
    }

    /**
     * The rule chain. Rule 12 first (a domain another backend or a newer agent started is not ours to act on), rule 9 (never
     * touch a foreign domain), then the halt wish (rules 5, 6), then a
     * missing domain (rules 1, 6, 8, 11), then an existing one (rules 2, 3, 7). Rules 4 and 10 are folded into the
     * situation before any of these run.
     */
    private static Verdict nextStep(Situation s) {
        Verdict pinned = PinRules.check(s);
        if (pinned == null) {
            pinned = OlderAgentRules.check(s);
        }
        if (pinned != null) {
            return pinned;
        }
        if (s.foreign != null && !s.desired.wantsHalt()) {
            return nameInUse(s);
        }
        if (s.desired.wantsHalt()) {
            return HaltRules.halt(s);
        }
        if (s.observed == null) {
            return BootRules.boot(s);
        }
        return LifecycleRules.present(s);
    }

    private static Verdict nameInUse(Situation s) {
        DomainInfo f = s.foreign;
        return Verdict.await(DomainPhase.Broken, Reasons.DOMAIN_NAME_IN_USE, "a domain named " + f.name()
            + " (id " + f.domainId() + ") exists on the node and was not created by the operator; it is never "
            + "touched: rename spec.displayName or remove that domain", s.knobs.pollInterval());
    }

    /**
     * A step outside the boot sequence that just failed is retried after {@code quickRetryDelay}, not in a tight
     * loop. Boot steps have their own schedule (rule 1).
     */
    static Verdict retryGate(Journal j, Verdict v, Instant now, Knobs knobs) {
        Operation op = v.operation();
        Journal.Failure f = j.lastFailure();
        if (f == null || op.isBootStep() || op instanceof Operation.None || !f.operation().equals(op.kind())) {
            return v;
        }
        Instant retryAt = f.at().plus(knobs.quickRetryDelay());
        if (!now.isBefore(retryAt)) {
            return v;
        }
        return Verdict.awaitUntil(v.phase(), Reasons.OPERATION_FAILED, f.operation() + " failed at "
            + Times.rfc3339(f.at()) + ": " + f.error() + "; retrying at " + Times.rfc3339(retryAt), now, retryAt);
    }

    /**
     * Decides for a domain of ours that has no DomainConfig (rule 9): leave it alone for {@code orphanGrace}
     * from the first sight (an informer may not have synced), then halt it like a deactivated domain and release
     * its adapters. Its disk copies are kept: nobody asked for them to go. Foreign domains are never touched.
     * The status is null (there is no object to write); the controller calls this with an empty observation for a
     * journal whose DomainConfig and domain are both gone, and deletes the journal on {@code ForgetDomain}.
     * An orphan journal another backend wrote is not acted on (rule 12, {@link OrphanPin}).
     */
    public Decision decideOrphan(Optional<DomainInfo> observed, Journal journal, Instant now) {
        Objects.requireNonNull(journal, "journal");
        Objects.requireNonNull(now, "now");
        return OrphanRules.decide(observed.orElse(null), journal, now, knobs, self);
    }

    /** The hypervisor name to look the domain up by: the one we created it under, else spec.displayName. */
    public static String hypervisorName(DesiredDomain desired, Journal journal) {
        return journal.domainName() != null ? journal.domainName() : desired.spec().getDisplayName();
    }
}
