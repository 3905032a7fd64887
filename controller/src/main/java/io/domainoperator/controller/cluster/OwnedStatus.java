package io.domainoperator.controller.cluster;

import io.domainoperator.api.v1alpha1.Conditions;
import io.domainoperator.api.v1alpha1.DomainConfigStatus;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The part of a DomainConfig's status the cluster controller owns, as a change to merge into whatever the
 * latest status is. The node agent owns the rest (Ready, Booted, AdaptersAssigned, ConfigApplied and the
 * phase of a placed domain on a live node); merging into the latest object, rather than writing a status
 * computed from a cached one, is what keeps the two writers from undoing each other.
 *
 * @param put             conditions to hold (by type), as type/status/reason/message
 * @param drop            condition types to remove
 * @param dropReadyInvalidSpec remove the Ready=False/InvalidSpec this controller wrote (the spec got fixed)
 * @param phase           phase to set, or null to leave it
 * @param phaseOnlyFrom   when not null, set {@code phase} only if the current phase is one of these
 *                        ({@code null} stands for "no phase yet" through {@link #NO_PHASE})
 * @param yielding        condition types in {@code put} to leave alone when the current one already has the
 *                        same status and reason, whatever its message: the node agent may have written it
 *                        with its own wording, and rewriting it would start a tug of war
 */
public record OwnedStatus(Map<String, Condition> put, Set<String> drop, boolean dropReadyInvalidSpec,
                          DomainPhase phase, Set<String> phaseOnlyFrom, Set<String> yielding) {
    /** Stand-in for an absent phase in {@link #phaseOnlyFrom}. */
    public static final String NO_PHASE = "";
    /**
     * Start of the message of every Ready=False/InvalidSpec the controller writes; the controller only ever
     * removes a Ready condition that carries it, so an InvalidSpec the node agent found itself is left alone.
     */
    public static final String INVALID_SPEC_PREFIX = "cluster check found invalid ";

    public OwnedStatus {
        put = Map.copyOf(put);
        drop = Set.copyOf(drop);
        phaseOnlyFrom = phaseOnlyFrom == null ? null : Set.copyOf(phaseOnlyFrom);
        yielding = Set.copyOf(yielding);
    }

    public OwnedStatus(Map<String, Condition> put, Set<String> drop, boolean dropReadyInvalidSpec,
                       DomainPhase phase, Set<String> phaseOnlyFrom) {
        this(put, drop, dropReadyInvalidSpec, phase, phaseOnlyFrom, Set.of());
    }

    /** A condition as the controller wants it; lastTransitionTime is filled in by {@link #merge}. */
    public static Condition condition(String type, String status, String reason, String message) {
        return new ConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message).build();
    }

    /**
     * The phase and conditions after applying this change to {@code current}; a condition whose status is
     * unchanged keeps its lastTransitionTime. Returns null when nothing would change.
     */
    public Merged merge(DomainConfigStatus current, Instant now) {
        DomainConfigStatus base = current == null ? new DomainConfigStatus() : current;
        List<Condition> conditions = new ArrayList<>();
        boolean changed = false;
        for (Condition existing : base.getConditions()) {
            String type = existing.getType();
            if (drop.contains(type) || dropReadyInvalidSpec && Conditions.READY.equals(type)
                && Conditions.INVALID_SPEC.equals(existing.getReason()) && !put.containsKey(type)
                && existing.getMessage() != null && existing.getMessage().startsWith(INVALID_SPEC_PREFIX)) {
                changed = true;
                continue;
            }
            Condition wanted = put.get(type);
            if (wanted == null) {
                conditions.add(existing);
            } else if (sameContent(existing, wanted) || yielding.contains(type)
                && Objects.equals(existing.getStatus(), wanted.getStatus()) && Objects.equals(existing.getReason(), wanted.getReason())) {
                conditions.add(existing);
            } else {
                changed = true;
                String since = Objects.equals(existing.getStatus(), wanted.getStatus()) && existing.getLastTransitionTime() != null
                    ? existing.getLastTransitionTime() : now.toString();
                conditions.add(new ConditionBuilder(wanted).withLastTransitionTime(since).build());
            }
        }
        for (Map.Entry<String, Condition> wanted : put.entrySet()) {
            if (base.condition(wanted.getKey()) == null) {
                changed = true;
                conditions.add(new ConditionBuilder(wanted.getValue()).withLastTransitionTime(now.toString()).build());
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
