package io.domainoperator.controller.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.api.v1alpha1.Conditions;
import io.domainoperator.api.v1alpha1.DomainConfigStatus;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OwnedStatusTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private static DomainConfigStatus status(DomainPhase phase, Condition... conditions) {
        DomainConfigStatus status = new DomainConfigStatus();
        status.setPhase(phase);
        status.setConditions(new ArrayList<>(List.of(conditions)));
        return status;
    }

    private static Condition since(Condition c, String time) {
        return new ConditionBuilder(c).withLastTransitionTime(time).build();
    }

    @Test
    void keepsTheAgentsConditionsAndTheirOrder() {
        Condition booted = since(OwnedStatus.condition(Conditions.BOOTED, Conditions.TRUE, Conditions.RUNNING, "up"), "2026-01-01T00:00:00Z");
        Condition ready = since(OwnedStatus.condition(Conditions.READY, Conditions.TRUE, Conditions.RUNNING, "up"), "2026-01-01T00:00:00Z");
        OwnedStatus change = new OwnedStatus(Map.of(Conditions.NODE_LOST, OwnedStatus.condition(Conditions.NODE_LOST,
            Conditions.TRUE, Conditions.NODE_NOT_RESPONDING, "gone")), Set.of(), true, DomainPhase.Unknown, null);

        OwnedStatus.Merged merged = change.merge(status(DomainPhase.Running, booted, ready), NOW);

        assertThat(merged.phase()).isEqualTo(DomainPhase.Unknown);
        assertThat(merged.conditions()).extracting(Condition::getType)
            .containsExactly(Conditions.BOOTED, Conditions.READY, Conditions.NODE_LOST);
        assertThat(merged.conditions().get(2).getLastTransitionTime()).isEqualTo(NOW.toString());
        assertThat(merged.conditions().subList(0, 2)).containsExactly(booted, ready);
    }

    @Test
    void sameStatusKeepsItsTransitionTimeAndNoChangeWritesNothing() {
        Condition old = since(OwnedStatus.condition(Conditions.PLACED, Conditions.FALSE, Conditions.NO_FIT, "0/1 nodes fit: a"), "2026-01-01T00:00:00Z");
        OwnedStatus newMessage = new OwnedStatus(Map.of(Conditions.PLACED, OwnedStatus.condition(Conditions.PLACED,
            Conditions.FALSE, Conditions.NO_FIT, "0/2 nodes fit: b")), Set.of(), false, DomainPhase.Pending, null);

        Condition updated = newMessage.merge(status(DomainPhase.Pending, old), NOW).conditions().getFirst();
        assertThat(updated.getMessage()).isEqualTo("0/2 nodes fit: b");
        assertThat(updated.getLastTransitionTime()).isEqualTo("2026-01-01T00:00:00Z");

        assertThat(newMessage.merge(status(DomainPhase.Pending, since(updated, "2026-01-01T00:00:00Z")), NOW)).isNull();
    }

    @Test
    void phaseOnlyFromLeavesAnAgentsPhaseAlone() {
        OwnedStatus scheduled = new OwnedStatus(Map.of(), Set.of(), false, DomainPhase.Scheduled,
            Set.of(OwnedStatus.NO_PHASE, DomainPhase.Pending.name()));

        assertThat(scheduled.merge(status(null), NOW).phase()).isEqualTo(DomainPhase.Scheduled);
        assertThat(scheduled.merge(status(DomainPhase.Pending), NOW).phase()).isEqualTo(DomainPhase.Scheduled);
        assertThat(scheduled.merge(status(DomainPhase.Booting), NOW)).isNull();
    }

    @Test
    void readyFollowsSpecValidAndGoesWithIt() {
        Condition ready = since(OwnedStatus.condition(Conditions.READY, Conditions.TRUE, Conditions.RUNNING, "up"), "2026-01-01T00:00:00Z");
        Condition clash = OwnedStatus.condition(Conditions.SPEC_VALID, Conditions.FALSE, Conditions.INVALID_SPEC, "spec.uuid: twice");
        OwnedStatus invalid = new OwnedStatus(Map.of(Conditions.SPEC_VALID, clash), Set.of(), false, null, null);

        OwnedStatus.Merged found = invalid.merge(status(DomainPhase.Running, ready), NOW);
        Condition derived = found.conditions().stream().filter(c -> Conditions.READY.equals(c.getType())).findFirst().orElseThrow();
        assertThat(derived.getStatus()).isEqualTo(Conditions.FALSE);
        assertThat(derived.getReason()).isEqualTo(Conditions.INVALID_SPEC);
        assertThat(derived.getMessage()).isEqualTo("spec.uuid: twice");

        OwnedStatus fixed = new OwnedStatus(Map.of(), Set.of(), true, null, null);
        OwnedStatus.Merged cleared = fixed.merge(status(DomainPhase.Running, found.conditions().toArray(Condition[]::new)), NOW);
        assertThat(cleared.conditions()).extracting(Condition::getType).doesNotContain(Conditions.SPEC_VALID, Conditions.READY);
    }
}
