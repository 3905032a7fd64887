package io.domainoperator.reconciler;

import io.domainoperator.api.v1alpha1.Conditions;
import io.domainoperator.api.v1alpha1.DomainConfigStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds status.conditions so that steady state yields an equal list: lastTransitionTime is carried over while a
 * condition's status and reason stay the same (Kubernetes conventions), and condition types other components own
 * (SpecValid, NodeLost, Placed) are kept as they were, after the engine's own.
 */
final class ConditionSet {
    /** The condition types this engine owns, in the order it writes them. */
    static final List<String> OWNED = List.of(Conditions.READY, Conditions.BOOTED, Conditions.ADAPTERS_ASSIGNED,
        Conditions.CONFIG_APPLIED, Conditions.GUEST_READY, SaveRestoreRules.RESTORED_CONDITION);

    private final List<Condition> previous;
    private final Long generation;
    private final Instant now;
    private final List<Condition> out = new ArrayList<>(6);
    private String nowText;

    ConditionSet(DomainConfigStatus last, long generation, Instant now) {
        this.previous = last == null ? List.of() : last.getConditions();
        this.generation = generation;
        this.now = now;
    }

    ConditionSet set(Condition c) {
        return set(c.getType(), Conditions.TRUE.equals(c.getStatus()), c.getReason(), c.getMessage());
    }

    ConditionSet set(String type, boolean status, String reason, String message) {
        return set(type, status ? Conditions.TRUE : Conditions.FALSE, reason, message);
    }

    /** A condition whose status is neither True nor False ({@code Unknown}): the engine cannot tell. */
    ConditionSet unknown(String type, String reason, String message) {
        return set(type, Conditions.UNKNOWN, reason, message);
    }

    private ConditionSet set(String type, String statusText, String reason, String message) {
        Condition before = find(previous, type);
        boolean same = before != null && statusText.equals(before.getStatus())
            && Objects.equals(reason, before.getReason());
        if (same && Objects.equals(message, before.getMessage()) && generation.equals(before.getObservedGeneration())
            && before.getAdditionalProperties().isEmpty()) {
            // Unchanged: share the previous object (statuses are values; nobody mutates a written one).
            out.add(before);
            return this;
        }
        out.add(new Condition(same ? before.getLastTransitionTime() : nowText(), message, generation, reason,
            statusText, type));
        return this;
    }

    List<Condition> build() {
        for (Condition c : previous) {
            if (!OWNED.contains(c.getType())) {
                out.add(c);
            }
        }
        return out;
    }

    /** The reason the previous status gave for a condition type, or null. */
    static String previousReason(DomainConfigStatus last, String type) {
        if (last == null) {
            return null;
        }
        Condition c = find(last.getConditions(), type);
        return c == null ? null : c.getReason();
    }

    private String nowText() {
        if (nowText == null) {
            nowText = Times.rfc3339(now);
        }
        return nowText;
    }

    private static Condition find(List<Condition> list, String type) {
        for (Condition c : list) {
            if (type.equals(c.getType())) {
                return c;
            }
        }
        return null;
    }
}
