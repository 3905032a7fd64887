package io.domainoperator.reconciler;

import static io.domainoperator.reconciler.Fixtures.*;
import static io.domainoperator.reconciler.RuleCase.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.api.v1alpha1.Conditions;
import io.domainoperator.api.v1alpha1.DomainPhase;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rule 2 (xenopsd): paused, zero vCPU time and no journaled creation of ours -> half-created: destroy and
 * rebuild. A paused domain with vCPU time stays paused.
 */
class Rule2HalfCreatedTest {

    static Stream<RuleCase> rule2_halfCreatedDomains() {
        Operation destroy = new Operation.Destroy(NAME, DestroyReason.HALF_CREATED);
        Operation.CreatePaused create = create(spec()).op();
        return Stream.of(
            given("paused, no CPU time, empty journal: half-created")
                .observed(paused(7, 0))
                .expect(destroy, DomainPhase.Booting, Conditions.HALF_CREATED_REBUILT),
            given("paused, no CPU time, CreatePaused intent without outcome (killed mid-create): rebuild")
                .observed(paused(7, 0)).journal(fresh().withIntent(create, T0))
                .expect(destroy, DomainPhase.Booting, Conditions.HALF_CREATED_REBUILT),
            given("paused, no CPU time, CreatePaused failed (libxl left the shell): rebuild")
                .observed(paused(7, 0)).journal(fresh().withIntent(create, T0).withFailure(create, "qemu died", T0))
                .at(at(1))
                .expect(destroy, DomainPhase.Booting, Conditions.HALF_CREATED_REBUILT),
            given("paused, no CPU time, our completed create with this id: unpause")
                .observed(paused(7, 0)).journal(createdPaused(spec(), 7, T0))
                .expect(new Operation.Unpause(NAME), DomainPhase.Booting, Conditions.BOOTING),
            given("paused, no CPU time, our completed create had another id: rebuild")
                .observed(paused(8, 0)).journal(createdPaused(spec(), 7, T0))
                .expect(destroy, DomainPhase.Booting, Conditions.HALF_CREATED_REBUILT),
            given("paused, no CPU time, our unpause failed: the boot starts over")
                .observed(paused(7, 0)).journal(unpauseFailed())
                .at(at(1))
                .expect(destroy, DomainPhase.Booting, Conditions.HALF_CREATED_REBUILT),
            given("paused with CPU time after running (someone paused it): stays paused")
                .observed(paused(7, 3_000_000_000L)).journal(booted(spec(), 7, T0))
                .expect(new Operation.None(), DomainPhase.Paused, Conditions.PAUSED),
            given("paused with CPU time, no journal (adopted): stays paused")
                .observed(paused(7, 3_000_000_000L))
                .expect(new Operation.None(), DomainPhase.Paused, Conditions.PAUSED));
    }

    private static Journal unpauseFailed() {
        Operation.Unpause u = new Operation.Unpause(NAME);
        return createdPaused(spec(), 7, T0).withIntent(u, T0).withFailure(u, "unpause: no such domain", T0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void rule2_halfCreatedDomains(RuleCase c) {
        c.check();
    }

    @Test
    void rule2_halfCreatedRebuildIsAnnounced() {
        Decision d = decide(desired(spec()), paused(7, 0), fresh(), T0);
        assertThat(d.events()).extracting(DomainEvent::reason).containsExactly(Conditions.HALF_CREATED_REBUILT);
        Journal after = d.journal().withIntent(d.operation(), T0).withSuccess(d.operation(), T0, null);
        Decision next = decide(withStatus(desired(spec()), d.status()), null, after, at(1));
        assertThat(next.operation()).isEqualTo(create(spec()).op());
    }
}
