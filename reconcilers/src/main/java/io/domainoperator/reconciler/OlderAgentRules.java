package io.domainoperator.reconciler;

import io.domainoperator.api.v1alpha1.DomainPhase;

/**
 * Rule 12, agent versions: a domain started by a newer agent on this same backend (the agent was rolled back after an
 * upgrade) may rely on what only that version knows: devices, disk copies, journal entries and the meaning of spec
 * fields added since. Any operation this agent chose for it (a restart, a reboot to apply changes, a halt, a destroy
 * after a timeout) could undo what it cannot see. So the older agent only observes: it reports the domain as it finds
 * it and names both versions and the way out, and acts again once the domain is gone (its next boot is this agent's)
 * or a newer agent is back. A newer agent than the one that started a domain keeps managing it: versions only add.
 * Versions that cannot be compared ({@code dev} builds, journals without a version) are not refused.
 */
final class OlderAgentRules {
    private OlderAgentRules() {
    }

    /** Null when this agent may act, else the refusal. */
    static Verdict check(Situation s) {
        StartedBy pin = s.journal.startedBy();
        StartedBy self = s.self;
        if (pin == null || self == null || !pin.backend().equals(self.backend()) || !s.domainMayExist()
            || !AgentVersion.isOlder(self.agentVersion(), pin.agentVersion())) {
            return null;
        }
        String name = s.journal.domainName() != null ? s.journal.domainName() : s.spec.getDisplayName();
        String seen = s.observed == null ? "not listed now" : "listed as " + s.observed.state() + ", id " + s.observed.domainId();
        return Verdict.await(DomainPhase.Unknown, Reasons.STARTED_BY_NEWER_AGENT, "domain " + name + " (" + seen
            + ") was started by agent " + pin.agentVersion() + "; this agent is " + self.agentVersion()
            + ", older, and cannot know what that version set up, so it only observes and does nothing to it (no"
            + " restart, reboot, halt or destroy). Run agent " + pin.agentVersion() + " or newer on this node, or halt"
            + " the domain with it; once the domain is gone its next boot is this agent's", s.knobs.pollInterval());
    }
}
