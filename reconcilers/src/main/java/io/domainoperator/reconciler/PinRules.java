package io.domainoperator.reconciler;

import io.domainoperator.api.v1alpha1.DomainPhase;

/**
 * Rule 12: a domain belongs to the backend that started it until its next boot. The journal records that backend
 * and agent ({@link StartedBy}) with the create; an agent on another backend (the node went from xl to QEMU, or the
 * other way) cannot see that domain nor stop it, and booting it again would run a second one beside it. So while a
 * domain of another backend may exist, this agent does nothing for it (halt and deletion included) and says why
 * and how out: the agent on the old backend halts it, or the user destroys it by hand; its destroy clears the
 * record, and the next boot is this agent's. Journals from before the record have no pin: the current backend
 * takes them over, as it did.
 */
final class PinRules {
    private PinRules() {
    }

    /** Null when this agent may act, else the refusal. */
    static Verdict check(Situation s) {
        StartedBy pin = s.journal.startedBy();
        StartedBy self = s.self;
        if (pin == null || self == null || pin.backend().equals(self.backend()) || !s.domainMayExist()) {
            return null;
        }
        String name = s.journal.domainName() != null ? s.journal.domainName() : s.spec.getDisplayName();
        return Verdict.await(DomainPhase.Unknown, Reasons.STARTED_BY_OTHER_BACKEND, "domain " + name
            + " was started by " + pin + "; this agent runs " + self + ", which can neither see nor stop it, so it "
            + "does nothing to it (booting it here would run a second one). Halt it with an agent on the "
            + pin.backend() + " backend, or destroy it by hand and delete the DomainConfig's journal entry; its next "
            + "boot is then this agent's", s.knobs.pollInterval());
    }

    /** The journal a create is made from: pinned to this agent (journaled with the intent, before the side effect). */
    static void pinForCreate(Situation s) {
        if (s.self != null && !s.self.equals(s.journal.startedBy())) {
            JournalEdit e = s.journal.edit();
            e.startedBy = s.self;
            s.journal = e.build();
        }
    }
}
