package io.domainoperator.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import org.junit.jupiter.api.Test;

class ReadyConditionTest {
    private static Condition condition(String type, String status, String reason, String message) {
        return new ConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
            .withLastTransitionTime("2026-01-01T00:00:00Z").build();
    }

    private static final Condition RUNNING = condition(Conditions.READY, Conditions.TRUE, Conditions.RUNNING, "up");
    private static final Condition CLASH = condition(Conditions.SPEC_VALID, Conditions.FALSE, Conditions.INVALID_SPEC,
        "spec.uuid: also used by DomainConfig b");

    @Test
    void aFailedSpecCheckMakesReadyFalseWithItsReasonAndMessage() {
        Condition ready = ReadyCondition.derive(RUNNING, CLASH);
        assertThat(ready.getType()).isEqualTo(Conditions.READY);
        assertThat(ready.getStatus()).isEqualTo(Conditions.FALSE);
        assertThat(ready.getReason()).isEqualTo(Conditions.INVALID_SPEC);
        assertThat(ready.getMessage()).isEqualTo(CLASH.getMessage());
        assertThat(ReadyCondition.mirrors(ready, CLASH)).isTrue();
        assertThat(ReadyCondition.derive(null, CLASH)).isEqualTo(ready);
    }

    @Test
    void theAgentsOwnWordsForTheSameReasonStay() {
        Condition agent = condition(Conditions.READY, Conditions.FALSE, Conditions.INVALID_SPEC, "kernel missing");
        assertThat(ReadyCondition.derive(agent, CLASH)).isSameAs(agent);
        assertThat(ReadyCondition.mirrors(agent, CLASH)).isFalse();
    }

    @Test
    void withoutAFailedSpecCheckReadyIsTheAgentsVerdictOrAbsent() {
        assertThat(ReadyCondition.derive(RUNNING, null)).isSameAs(RUNNING);
        assertThat(ReadyCondition.derive(null, null)).isNull();
        Condition valid = condition(Conditions.SPEC_VALID, Conditions.TRUE, "Valid", "ok");
        assertThat(ReadyCondition.derive(RUNNING, valid)).isSameAs(RUNNING);
    }
}
