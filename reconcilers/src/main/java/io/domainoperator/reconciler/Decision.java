package io.domainoperator.reconciler;

import io.domainoperator.api.v1alpha1.DomainConfigStatus;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The engine's answer.
 *
 * @param operation     the next micro-operation ({@link Operation.None} when there is nothing to do)
 * @param status        the complete status to write as-is; equal to {@code lastStatus} in steady state, so the
 *                      controller writes only when {@code !status.equals(lastStatus)}. Null for orphans (no
 *                      DomainConfig to write to).
 * @param requeueAfter  when to decide again: ZERO right after an operation (observe its effect), otherwise the
 *                      next deadline (timeout, retry, grace) or the poll interval
 * @param events        Kubernetes events for transitions seen by this decision
 * @param journal       the journal with this decision's observations folded in (adopted domain id, a reboot seen
 *                      as a new id, the guest's own stop); persist it when it differs from the one passed in, and
 *                      record the operation's intent on top of it
 */
public record Decision(Operation operation, DomainConfigStatus status, Duration requeueAfter,
                       List<DomainEvent> events, Journal journal) {

    public Decision {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(requeueAfter, "requeueAfter");
        Objects.requireNonNull(journal, "journal");
        events = List.copyOf(events);
    }

    /** Whether there is a side effect to perform. */
    public boolean hasOperation() {
        return !(operation instanceof Operation.None);
    }
}
