package io.domainoperator.reconciler;

import io.domainoperator.hypervisor.DomainInfo;
import java.time.Instant;
import java.util.List;

/**
 * Rule 12 for orphans (rule 9: domains of ours without a DomainConfig). An orphan's journal is pinned to the backend
 * that saw the domain when it first found it; an agent on another backend later finds the journal but not the domain
 * (it can neither see nor stop it), and acting on the journal would send the destroy through the wrong backend and
 * then forget the record while the domain may still run. So that agent does nothing with it and says so, as a
 * warning the agent records on its Node; the agent on the journal's backend, or a person, finishes the cleanup.
 */
final class OrphanPin {
    private OrphanPin() {
    }

    /** Null when this agent may act on the orphan's journal, else a decision that does nothing and warns. */
    static Decision refusal(Journal journal, StartedBy self, Knobs knobs) {
        StartedBy pin = journal.startedBy();
        if (pin == null || self == null || pin.backend().equals(self.backend())) {
            return null;
        }
        String name = journal.domainName() != null ? journal.domainName() : "(unnamed)";
        String message = "orphan domain " + name + " (no DomainConfig) was journaled by " + pin + "; this agent runs "
            + self + ", which can neither see nor stop it, so it leaves the journal and the domain alone. Halt it with"
            + " an agent on the " + pin.backend() + " backend, or destroy it by hand and delete its orphan journal";
        return new Decision(Operation.None.INSTANCE, null, knobs.pollInterval(),
            List.of(DomainEvent.warning(Reasons.STARTED_BY_OTHER_BACKEND, message)), journal);
    }

    /** On first sight of an orphan: when (grace period) and by which backend (this one, which lists it). */
    static Journal firstSight(Journal journal, DomainInfo observed, StartedBy self, Instant now) {
        boolean since = journal.orphanSince() == null;
        boolean pin = observed != null && self != null && journal.startedBy() == null;
        if (!since && !pin) {
            return journal;
        }
        JournalEdit e = journal.edit();
        if (since) {
            e.orphanSince = now;
        }
        if (pin) {
            e.startedBy = self;
        }
        return e.build();
    }
}
