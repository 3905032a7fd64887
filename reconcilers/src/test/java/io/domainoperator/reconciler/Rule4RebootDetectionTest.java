package io.domainoperator.reconciler;

import static io.domainoperator.reconciler.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.api.v1alpha1.Conditions;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.DomainState;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Rule 4: a changed domain id for the same uuid is a reboot (restartCount, lastRebootTime). */
class Rule4RebootDetectionTest {

    static Stream<Arguments> rule4_newIdForTheSameUuid() {
        Journal booted = booted(spec(), 7, T0);
        Operation.Shutdown sh = new Operation.Shutdown(NAME);
        return Stream.of(
            Arguments.of("same uuid, new id: a reboot", running(9), booted, 1, true),
            Arguments.of("same id: nothing happened", running(7), booted, 0, false),
            Arguments.of("hypervisor without uuids: the id alone tells", new DomainInfo(9, NAME, null,
                DomainState.RUNNING, 1, 2, 1, 1, true), booted, 1, true),
            Arguments.of("another uuid: a different domain, adopted, not a reboot", new DomainInfo(9, NAME,
                UUID.randomUUID(), DomainState.RUNNING, 1, 2, 1, 1, true), booted, 0, false),
            Arguments.of("an operation of ours in flight explains the change: not counted", running(9),
                booted.withIntent(sh, at(5)), 0, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void rule4_newIdForTheSameUuid(String name, DomainInfo observed, Journal journal, int restarts, boolean event) {
        Decision d = decide(desired(spec()), observed, journal, at(60));
        assertThat(d.status().getRestartCount()).isEqualTo(restarts);
        assertThat(d.status().getDomainId()).isEqualTo(observed.domainId());
        assertThat(d.journal().domainId()).isEqualTo(observed.domainId());
        assertThat(d.status().getLastRebootTime()).isEqualTo(restarts > 0 ? "2026-11-24T05:01:00Z" : null);
        if (event) {
            assertThat(d.events()).extracting(DomainEvent::reason).contains(Conditions.REBOOTED);
        } else {
            assertThat(d.events()).extracting(DomainEvent::reason).doesNotContain(Conditions.REBOOTED);
        }
        // Asked again with the journal the decision returned: counted once, steady.
        Decision again = decide(withStatus(desired(spec()), d.status()), observed, d.journal(), at(61));
        assertThat(again.status()).isEqualTo(d.status());
        assertThat(again.events()).isEmpty();
        if (journal.inFlight()) {
            return;
        }
        assertThat(again.operation()).isInstanceOf(Operation.None.class);
        assertThat(again.status().getPhase()).isEqualTo(DomainPhase.Running);
    }
}
