package io.domainoperator.reconciler;

import static io.domainoperator.reconciler.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.domainoperator.api.v1alpha1.Conditions;
import io.domainoperator.api.v1alpha1.DomainConfigStatus;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.api.v1alpha1.LifecyclePolicy;
import io.domainoperator.hypervisor.ShutdownReason;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The status contract (steady state writes nothing, transitions are timed, other owners' conditions kept) and the journal's. */
class StatusAndJournalTest {
    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @Test
    void steadyStateYieldsAnEqualStatusAndNoEvents() {
        Decision first = decide(desired(spec()), running(7), booted(spec(), 7, T0), at(1));
        Decision second = decide(withStatus(desired(spec()), first.status()), running(7), first.journal(), at(500));
        assertThat(second.status()).isEqualTo(first.status());
        assertThat(second.events()).isEmpty();
        assertThat(second.journal()).isSameAs(first.journal());
        assertThat(second.operation()).isInstanceOf(Operation.None.class);
        assertThat(second.requeueAfter()).isEqualTo(KNOBS.pollInterval());
    }

    @Test
    void lastTransitionTimeMovesOnlyWhenStatusOrReasonChanges() {
        Decision running = decide(desired(spec()), running(7), booted(spec(), 7, T0), at(1));
        Condition ready = running.status().condition(Conditions.READY);
        assertThat(ready.getLastTransitionTime()).isEqualTo("2026-11-24T05:00:01Z");
        Decision crashed = decide(withStatus(desired(spec()), running.status()), crashed(7), running.journal(), at(30));
        assertThat(crashed.status().condition(Conditions.READY).getLastTransitionTime()).isEqualTo("2026-11-24T05:00:30Z");
        assertThat(crashed.status().condition(Conditions.ADAPTERS_ASSIGNED).getLastTransitionTime())
            .as("unchanged condition keeps its time").isEqualTo("2026-11-24T05:00:01Z");
    }

    @Test
    void conditionsOwnedByOthersAreKept() {
        DomainConfigStatus last = new DomainConfigStatus();
        last.setConditions(new java.util.ArrayList<>(List.of(new Condition("2026-11-01T00:00:00Z", "placed on node1", 1L,
            "Scheduled", Conditions.TRUE, Conditions.PLACED))));
        last.setNode("node1");
        last.setConfigFile("/run/domainoperator/vm1.cfg");
        Decision d = decide(withStatus(desired(spec()), last), running(7), booted(spec(), 7, T0), at(1));
        assertThat(d.status().getConditions()).extracting(Condition::getType).containsExactly(Conditions.READY,
            Conditions.BOOTED, Conditions.ADAPTERS_ASSIGNED, Conditions.CONFIG_APPLIED, Conditions.PLACED);
        assertThat(d.status().getNode()).isEqualTo("node1");
        assertThat(d.status().getConfigFile()).isEqualTo("/run/domainoperator/vm1.cfg");
        assertThat(d.status().getObservedGeneration()).isEqualTo(1L);
        assertThat(d.status().getDomainId()).isEqualTo(7);
        assertThat(d.status().getUuid()).isEqualTo(UUID_TEXT);
    }

    @Test
    void everyDecisionAnswersWithACompleteStatus() {
        Decision d = decide(desired(spec()), null, fresh(), T0);
        assertThat(d.status().getPhase()).isEqualTo(DomainPhase.Booting);
        assertThat(d.status().getConditions()).extracting(Condition::getType).containsExactly(Conditions.READY,
            Conditions.BOOTED, Conditions.ADAPTERS_ASSIGNED, Conditions.CONFIG_APPLIED);
        assertThat(d.status().getConditions()).allSatisfy(c -> {
            assertThat(c.getReason()).matches("[A-Z][A-Za-z]+");
            assertThat(c.getMessage()).isNotBlank();
            assertThat(c.getLastTransitionTime()).isNotNull();
        });
    }

    @Test
    void theJournalRoundTripsThroughJackson() throws Exception {
        Journal j = booted(spec(), 7, T0);
        j = setUp(j).exit(new Journal.Exit(ShutdownReason.CRASH, LifecyclePolicy.Preserve, at(3), 1))
            .assignedAdapters(List.of("eth1")).pendingDisks(List.of("/persist/img/base.qcow2"))
            .shutdownRequestedAt(at(9)).journal();
        Operation.Destroy destroy = new Operation.Destroy(NAME, DestroyReason.FORCED);
        j = j.withIntent(destroy, at(10)).withFailure(destroy, "busy", at(10));
        String text = JSON.writeValueAsString(j);
        assertThat(text).contains("\"lastBootTime\":\"2026-11-24T05:00:00Z\"").doesNotContain("adaptersToRelease")
            .doesNotContain("inFlight");
        assertThat(JSON.readValue(text, Journal.class)).isEqualTo(j);
        assertThat(JSON.readValue(JSON.writeValueAsString(Journal.empty()), Journal.class)).isEqualTo(Journal.empty());
    }

    @Test
    void knobsRejectNonsense() {
        assertThat(Knobs.defaults().bootRetry()).isEqualTo(Duration.ofSeconds(600));
        assertThat(Knobs.defaults().quickBootRetries()).isEqualTo(3);
        assertThatThrownBy(() -> Knobs.defaults().withBootRetry(Duration.ZERO))
            .hasMessageContaining("bootRetry");
        assertThatThrownBy(() -> new Knobs(Duration.ofSeconds(1), 0, Duration.ofSeconds(1), Duration.ofSeconds(1),
            Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ofSeconds(1))).hasMessageContaining("quickBootRetries");
    }

    @Test
    void theDerivedUuidIsStablePerDomainConfig() {
        assertThat(Situation.derivedUuid("apps/vm1")).isEqualTo(Situation.derivedUuid("apps/vm1"))
            .isNotEqualTo(Situation.derivedUuid("apps/vm2"));
        assertThat(decide(desired(spec()), null, fresh(), T0).status().getUuid()).isEqualTo(UUID_TEXT);
    }
}
