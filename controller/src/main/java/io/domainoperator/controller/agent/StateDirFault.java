package io.domainoperator.controller.agent;

import io.domainoperator.api.v1alpha1.Conditions;
import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainConfigStatus;
import io.domainoperator.controller.journal.JournalWriteException;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A reconcile stopped because the journal could not be written (read-only or full state directory): the status
 * says so on the DomainConfig (Ready=False, reason {@value #REASON}) and the pending change waits for the retry
 * that finds the directory writable again. Other failures keep java-operator-sdk's default handling.
 */
final class StateDirFault {
    static final String REASON = "StateDirUnwritable";

    private StateDirFault() {
    }

    /** The status to report for {@code failure}, or empty when it is not a journal write failure. */
    static Optional<DomainConfigStatus> status(DomainConfig dc, Exception failure, Clock clock) {
        Throwable t = failure;
        while (t != null && !(t instanceof JournalWriteException)) {
            t = t.getCause();
        }
        if (t == null) {
            return Optional.empty();
        }
        DomainConfigStatus status = dc.getStatus() == null ? new DomainConfigStatus()
            : io.fabric8.kubernetes.client.utils.Serialization.clone(dc.getStatus());
        Condition previous = status.condition(Conditions.READY);
        String message = t.getMessage() + "; the change is applied once the state directory is writable again";
        if (previous != null && REASON.equals(previous.getReason()) && message.equals(previous.getMessage())) {
            return Optional.of(status);
        }
        List<Condition> conditions = new ArrayList<>();
        status.getConditions().stream().filter(c -> !Conditions.READY.equals(c.getType())).forEach(conditions::add);
        conditions.add(0, new ConditionBuilder().withType(Conditions.READY).withStatus(Conditions.FALSE).withReason(REASON)
            .withMessage(message).withObservedGeneration(dc.getMetadata().getGeneration())
            .withLastTransitionTime(clock.instant().toString()).build());
        status.setConditions(conditions);
        return Optional.of(status);
    }
}
