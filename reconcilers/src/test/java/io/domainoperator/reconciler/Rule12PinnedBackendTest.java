package io.domainoperator.reconciler;

import static io.domainoperator.reconciler.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.api.v1alpha1.Conditions;
import io.domainoperator.api.v1alpha1.DomainPhase;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rule 12: the journal records the backend and agent that started a domain; an agent on another backend leaves
 * a domain that may still exist alone (it can neither see nor stop it) and says so, until that domain is destroyed;
 * the next boot is then pinned to the new agent.
 */
class Rule12PinnedBackendTest {
    static final StartedBy XL_V1 = new StartedBy("xl", "0.1.0");
    static final StartedBy QEMU_V2 = new StartedBy("qemu", "0.2.0");
    static final DomainDecider ON_QEMU = new DomainDecider(KNOBS, QEMU_V2);
    static final DomainDecider ON_XL = new DomainDecider(KNOBS, XL_V1);

    static Journal pinned(Journal j, StartedBy by) {
        return setUp(j).startedBy(by).journal();
    }

    record Row(String name, DomainDecider engine, DesiredDomain desired, io.domainoperator.hypervisor.DomainInfo seen,
               Journal journal, Operation op, DomainPhase phase, String reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> rule12_aDomainBelongsToTheBackendThatStartedIt() {
        Journal upOnXl = pinned(booted(spec(), 7, T0), XL_V1);
        Journal destroyedOnXl = upOnXl.withIntent(new Operation.Destroy(NAME, DestroyReason.STOPPED), at(5))
            .withSuccess(new Operation.Destroy(NAME, DestroyReason.STOPPED), at(5), null);
        return Stream.of(
            new Row("started by xl, agent now on qemu (sees nothing): left alone", ON_QEMU, desired(spec()), null,
                upOnXl, new Operation.None(), DomainPhase.Unknown, Reasons.STARTED_BY_OTHER_BACKEND),
            new Row("... and its deletion too: this agent cannot stop it", ON_QEMU, deleting(spec()), null, upOnXl,
                new Operation.None(), DomainPhase.Unknown, Reasons.STARTED_BY_OTHER_BACKEND),
            new Row("started by xl, agent on xl (another version): managed as before", ON_XL, desired(spec()),
                running(7), pinned(booted(spec(), 7, T0), new StartedBy("xl", "0.0.9")), new Operation.None(),
                DomainPhase.Running, Conditions.RUNNING),
            new Row("destroyed since (the record went with it): boots on qemu", ON_QEMU, desired(spec()), null,
                destroyedOnXl, create(spec()).op(), DomainPhase.Booting, Conditions.BOOTING),
            new Row("no record (an older agent's journal), domain running here: managed", ON_QEMU, desired(spec()),
                running(7), booted(spec(), 7, T0), new Operation.None(), DomainPhase.Running, Conditions.RUNNING),
            new Row("an engine that does not pin acts as before", ENGINE, desired(spec()), null, upOnXl,
                new Operation.Destroy(NAME, DestroyReason.STOPPED), null, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void rule12_aDomainBelongsToTheBackendThatStartedIt(Row r) {
        Decision d = r.engine().decide(r.desired(), Optional.ofNullable(r.seen()), r.journal(), List.of(),
            Dependencies.none(), at(60));
        if (r.phase() == null) {
            assertThat(d.operation()).as(r.name()).isNotInstanceOf(Operation.None.class);
            return;
        }
        assertThat(d.operation()).as(r.name()).isEqualTo(r.op());
        assertThat(d.status().getPhase()).as(r.name()).isEqualTo(r.phase());
        assertThat(d.status().condition(Conditions.READY).getReason()).as(r.name()).isEqualTo(r.reason());
    }

    @Test
    void rule12_theRefusalNamesBothBackendsAndTheWayOut() {
        Decision d = ON_QEMU.decide(desired(spec()), Optional.empty(), pinned(booted(spec(), 7, T0), XL_V1), List.of(),
            Dependencies.none(), at(60));
        assertThat(d.status().condition(Conditions.READY).getMessage())
            .contains("started by the xl backend (agent 0.1.0)").contains("runs the qemu backend (agent 0.2.0)")
            .contains("Halt it with an agent on the xl backend");
        assertThat(d.journal().startedBy()).as("the record is kept").isEqualTo(XL_V1);
    }

    @Test
    void rule12_aCreateIsJournaledWithThisAgentBeforeItHappensAndADestroyClearsIt() {
        Decision create = ON_QEMU.decide(desired(spec()), Optional.empty(), fresh(), List.of(), Dependencies.none(), T0);
        assertThat(create.operation()).isInstanceOf(Operation.CreatePaused.class);
        Journal intent = create.journal().withIntent(create.operation(), T0);
        assertThat(intent.startedBy()).as("pinned with the intent").isEqualTo(QEMU_V2);
        Journal after = intent.withSuccess(create.operation(), T0, paused(7, 0));
        assertThat(after.startedBy()).isEqualTo(QEMU_V2);
        Operation.Destroy destroy = new Operation.Destroy(NAME, DestroyReason.STOPPED);
        assertThat(after.withIntent(destroy, at(9)).withSuccess(destroy, at(9), null).startedBy()).isNull();
    }

    @Test
    void rule12_anOlderAgentsJournalIsPinnedToTheBackendThatSeesItsDomain() {
        Decision d = ON_QEMU.decide(desired(spec()), Optional.of(running(7)), booted(spec(), 7, T0), List.of(),
            Dependencies.none(), at(60));
        assertThat(d.journal().startedBy()).isEqualTo(QEMU_V2);
    }
}
