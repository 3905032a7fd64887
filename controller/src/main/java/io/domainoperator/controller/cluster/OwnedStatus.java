package io.domainoperator.controller.cluster;

import io.domainoperator.api.v1alpha1.Conditions;
import io.domainoperator.api.v1alpha1.DomainConfigStatus;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.api.v1alpha1.ReadyCondition;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The part of a DomainConfig's status the cluster controller owns, as a change to merge into whatever the
 * latest status is. The controller owns SpecValid, Placed and NodeLost (and the phase of a domain no live agent
 * reports); the node agent owns Booted, AdaptersAssigned, ConfigApplied and its verdict. Ready is derived from
 * both by {@link ReadyCondition#derive} on every merge. Merging into the latest object, rather than writing a
 * status computed from a cached one, is what keeps the two writers from undoing each other.
 *
 * @param put             conditions to hold (by type), as type/status/reason/message
 * @param drop            condition types to remove
 * @param specFoundValid  the cluster check found the spec valid: SpecValid goes (unless put)
 * @param phase           phase to set, or null to leave it
 * @param phaseOnlyFrom   when not null, set {@code phase} only if the current phase is one of these
 *                        ({@code null} stands for "no phase yet" through {@link #NO_PHASE})
 */
public record OwnedStatus(Map<String, Condition> put, Set<String> drop, boolean specFoundValid,
                          DomainPhase phase, Set<String> phaseOnlyFrom) {
    /** Stand-in for an absent phase in {@link #phaseOnlyFrom}. */
    public static final String NO_PHASE = "";
    /** Start of the message of every SpecValid=False the controller writes (wording only: nothing parses it). */
    public static final String INVALID_SPEC_PREFIX = "cluster check found invalid ";

    public OwnedStatus {
        put = Map.copyOf(put);
        drop = Set.copyOf(drop);
        phaseOnlyFrom = phaseOnlyFrom == null ? null : Set.copyOf(phaseOnlyFrom);
    }

    /** A condition as the controller wants it; lastTransitionTime is filled in by {@link #merge}. */
    public static Condition condition(String type, String status, String reason, String message) {
        return new ConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message).build();
    }

    /**
     * The phase and conditions after applying this change to {@code current}, with Ready derived again; a
     * condition whose status is unchanged keeps its lastTransitionTime. Returns null when nothing would change.
     */
    public Merged merge(DomainConfigStatus current, Instant now) {
        DomainConfigStatus base = current == null ? new DomainConfigStatus() : current;
        Set<String> gone = new HashSet<>(drop);
        if (specFoundValid && !put.containsKey(Conditions.SPEC_VALID)) {
            gone.add(Conditions.SPEC_VALID);
        }
        Map<String, Condition> wanted = new LinkedHashMap<>(put);
        wanted.remove(Conditions.READY);
        Condition ready = base.condition(Conditions.READY);
        Condition agentVerdict = ReadyCondition.mirrors(ready, base.condition(Conditions.SPEC_VALID)) ? null : ready;
        Condition specValid = gone.contains(Conditions.SPEC_VALID) ? null
            : wanted.getOrDefault(Conditions.SPEC_VALID, base.condition(Conditions.SPEC_VALID));
        Condition derived = ReadyCondition.derive(agentVerdict, specValid);
        if (derived == null) {
            gone.add(Conditions.READY);
        } else {
            wanted.put(Conditions.READY, condition(Conditions.READY, derived.getStatus(), derived.getReason(), derived.getMessage()));
        }

        List<Condition> conditions = new ArrayList<>();
        boolean changed = false;
        for (Condition existing : base.getConditions()) {
            String type = existing.getType();
            if (gone.contains(type) && !wanted.containsKey(type)) {
                changed = true;
                continue;
            }
            Condition want = wanted.get(type);
            if (want == null || sameContent(existing, want)) {
                conditions.add(existing);
            } else {
                changed = true;
                String since = Objects.equals(existing.getStatus(), want.getStatus()) && existing.getLastTransitionTime() != null
                    ? existing.getLastTransitionTime() : now.toString();
                conditions.add(new ConditionBuilder(want).withLastTransitionTime(since).build());
            }
        }
        for (Map.Entry<String, Condition> want : wanted.entrySet()) {
            if (base.condition(want.getKey()) == null) {
                changed = true;
                conditions.add(new ConditionBuilder(want.getValue()).withLastTransitionTime(now.toString()).build());
            }
        }
        DomainPhase newPhase = base.getPhase();
        if (phase != null && phase != base.getPhase()
            && (phaseOnlyFrom == null || phaseOnlyFrom.contains(base.getPhase() == null ? NO_PHASE : base.getPhase().name()))) {
            newPhase = phase;
            changed = true;
        }
        return changed ? new Merged(newPhase, newPhase != base.getPhase(), conditions) : null;
    }

    private static boolean sameContent(Condition a, Condition b) {
        return Objects.equals(a.getStatus(), b.getStatus()) && Objects.equals(a.getReason(), b.getReason())
            && Objects.equals(a.getMessage(), b.getMessage());
    }

    /** Result of {@link #merge}: the full condition list to write and the phase (write it if {@code phaseChanged}). */
    public record Merged(DomainPhase phase, boolean phaseChanged, List<Condition> conditions) {
        public Merged {
            conditions = List.copyOf(conditions);
        }
    }
}
