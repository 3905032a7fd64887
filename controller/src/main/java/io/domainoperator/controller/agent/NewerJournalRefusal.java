package io.domainoperator.controller.agent;

import io.domainoperator.api.v1alpha1.Conditions;
import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainConfigStatus;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.controller.journal.JournalFile;
import io.domainoperator.controller.journal.NewerJournalException;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The status of a domain whose journal a newer agent wrote (rule 12's other half: an agent rolled back after an
 * upgrade): nothing is done for it, the journal stays as it is, and Ready says which versions and what to do.
 * Looked at again every minute, so that the domain is taken up when the newer agent is back.
 */
final class NewerJournalRefusal {
    /** Ready's reason while this agent cannot read the domain's journal. */
    static final String REASON = "JournalFromNewerAgent";

    private NewerJournalRefusal() {
    }

    static DomainStep.Outcome refuse(DomainConfig dc, String key, NewerJournalException e, String nodeName, Clock clock) {
        DomainConfigStatus current = dc.getStatus();
        DomainConfigStatus status = current == null ? new DomainConfigStatus()
            : io.fabric8.kubernetes.client.utils.Serialization.clone(current);
        String message = "the journal of " + key + " was written by agent " + e.writtenBy() + " in format "
            + e.format() + "; this agent (" + JournalFile.agentVersion() + ") reads up to format " + JournalFile.NEWEST_FORMAT
            + ", so it neither acts on the domain nor rewrites its journal: run agent " + e.writtenBy()
            + " or newer on this node";
        Condition previous = current == null ? null : current.condition(Conditions.READY);
        boolean same = previous != null && REASON.equals(previous.getReason()) && message.equals(previous.getMessage());
        if (!same) {
            Condition ready = new ConditionBuilder().withType(Conditions.READY).withStatus(Conditions.FALSE)
                .withReason(REASON).withMessage(message).withObservedGeneration(dc.getMetadata().getGeneration())
                .withLastTransitionTime(clock.instant().toString()).build();
            List<Condition> conditions = new ArrayList<>();
            status.getConditions().stream().filter(c -> !Conditions.READY.equals(c.getType())).forEach(conditions::add);
            conditions.add(0, ready);
            status.setConditions(conditions);
        }
        status.setPhase(DomainPhase.Unknown);
        status.setNode(nodeName);
        return new DomainStep.Outcome(status, !status.equals(current), Duration.ofMinutes(1), false);
    }
}
