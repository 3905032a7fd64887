package io.domainoperator.reconciler;

import io.domainoperator.api.v1alpha1.Conditions;
import io.domainoperator.api.v1alpha1.DomainMigrationStatus;
import io.domainoperator.api.v1alpha1.MigrationConditions;
import io.domainoperator.api.v1alpha1.MigrationPhase;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Edits of a DomainMigration's status; each returns a copy, the status read is never changed. */
public final class MigrationStatusEdit {
    private MigrationStatusEdit() {
    }

    /** The migration failed: phase Failed, Complete False with {@code reason}, endTime set. */
    public static DomainMigrationStatus failed(DomainMigrationStatus read, String reason, String message, Instant now) {
        DomainMigrationStatus s = read.copy();
        s.setPhase(MigrationPhase.Failed);
        s.setEndTime(Times.rfc3339(now));
        return withCondition(s, MigrationConditions.COMPLETE, Conditions.FALSE, reason, message, now);
    }

    /** Sets a condition, keeping its lastTransitionTime when its status did not change. */
    public static DomainMigrationStatus withCondition(DomainMigrationStatus s, String type, String status, String reason,
                                                      String message, Instant now) {
        List<Condition> list = new ArrayList<>(s.getConditions());
        Condition old = s.condition(type);
        String since = old != null && status.equals(old.getStatus()) ? old.getLastTransitionTime() : Times.rfc3339(now);
        list.removeIf(c -> type.equals(c.getType()));
        list.add(new ConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
            .withLastTransitionTime(since).build());
        s.setConditions(list);
        return s;
    }

    static DomainMigrationStatus phase(DomainMigrationStatus read, MigrationPhase phase) {
        DomainMigrationStatus s = read.copy();
        s.setPhase(phase);
        return s;
    }
}
