package io.domainoperator.reconciler;

import static io.domainoperator.reconciler.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.api.v1alpha1.Conditions;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.ShutdownReason;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rule 12, agent versions: an agent older than the one that started a domain on the same backend (a rollback) only
 * observes it, whatever the domain or its DomainConfig asks for, and says which versions and what to do; a newer
 * agent keeps managing; versions that cannot be compared are managed as before.
 */
class Rule12AgentVersionTest {
    static final StartedBy QEMU_020 = new StartedBy("qemu", "0.2.0");
    static final DomainDecider QEMU_AGENT_010 = new DomainDecider(KNOBS, new StartedBy("qemu", "0.1.0"));
    static final DomainDecider QEMU_AGENT_030 = new DomainDecider(KNOBS, new StartedBy("qemu", "0.3.0"));
    static final DomainDecider QEMU_AGENT_DEV = new DomainDecider(KNOBS, new StartedBy("qemu", "dev"));

    record Row(String name, DomainDecider engine, DesiredDomain desired, DomainInfo seen, Journal journal,
               Operation op, DomainPhase phase, String reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Journal startedBy(StartedBy by) {
        return setUp(booted(spec(), 7, T0)).startedBy(by).journal();
    }

    static Stream<Row> rule12_anOlderAgentOnlyObservesADomainANewerOneStarted() {
        Journal by020 = startedBy(QEMU_020);
        Operation none = new Operation.None();
        String older = Reasons.STARTED_BY_NEWER_AGENT;
        return Stream.of(
            new Row("running, nothing asked: observed, not managed", QEMU_AGENT_010, desired(spec()), running(7), by020,
                none, DomainPhase.Unknown, older),
            new Row("the guest powered off (onPoweroff would restart it): not restarted", QEMU_AGENT_010, desired(spec()),
                stopped(7, ShutdownReason.POWEROFF), by020, none, DomainPhase.Unknown, older),
            new Row("crashed (onCrash would restart it): not restarted", QEMU_AGENT_010, desired(spec()), crashed(7),
                by020, none, DomainPhase.Unknown, older),
            new Row("its DomainConfig deleted: not halted", QEMU_AGENT_010, deleting(spec()), running(7), by020, none,
                DomainPhase.Unknown, older),
            new Row("activate false: not halted", QEMU_AGENT_010, desired(spec(s -> s.setActivate(false))), running(7),
                by020, none, DomainPhase.Unknown, older),
            new Row("a newer agent keeps managing it", QEMU_AGENT_030, desired(spec()), running(7), by020, none,
                DomainPhase.Running, Conditions.RUNNING),
            new Row("... and halts it when asked", QEMU_AGENT_030, deleting(spec()), running(7), by020,
                new Operation.Shutdown(NAME), DomainPhase.Halting, null),
            new Row("the same version manages it", new DomainDecider(KNOBS, QEMU_020), desired(spec()), running(7), by020,
                none, DomainPhase.Running, Conditions.RUNNING),
            new Row("a dev build cannot be compared: managed as before", QEMU_AGENT_DEV, desired(spec()), running(7),
                by020, none, DomainPhase.Running, Conditions.RUNNING),
            new Row("a journal without a version (unknown): managed as before", QEMU_AGENT_010, desired(spec()),
                running(7), startedBy(new StartedBy("qemu", "unknown")), none, DomainPhase.Running, Conditions.RUNNING),
            new Row("gone and destroyed since (the record went with it): the older agent boots it", QEMU_AGENT_010,
                desired(spec()), null, destroyed(by020), create(spec()).op(), DomainPhase.Booting, Conditions.BOOTING));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void rule12_anOlderAgentOnlyObservesADomainANewerOneStarted(Row r) {
        Decision d = r.engine().decide(r.desired(), Optional.ofNullable(r.seen()), r.journal(), List.of(),
            Dependencies.none(), at(600));

        assertThat(d.operation()).as(r.name()).isEqualTo(r.op());
        assertThat(d.status().getPhase()).as(r.name()).isEqualTo(r.phase());
        if (r.reason() != null) {
            assertThat(d.status().condition(Conditions.READY).getReason()).as(r.name()).isEqualTo(r.reason());
        }
    }

    @Test
    void rule12_theRefusalNamesBothVersionsWhatItSeesAndTheWayOutAndKeepsTheRecord() {
        Decision d = QEMU_AGENT_010.decide(desired(spec()), Optional.of(running(7)), startedBy(QEMU_020), List.of(),
            Dependencies.none(), at(600));

        var ready = d.status().condition(Conditions.READY);
        assertThat(ready.getStatus()).isEqualTo(Conditions.FALSE);
        assertThat(ready.getMessage()).contains("started by agent 0.2.0").contains("this agent is 0.1.0, older")
            .contains("id 7").contains("Run agent 0.2.0 or newer on this node");
        assertThat(d.status().getDomainId()).as("still observed").isEqualTo(7);
        assertThat(d.journal().startedBy()).as("the newer agent's record is kept").isEqualTo(QEMU_020);
    }

    @ParameterizedTest(name = "{0} < {1}")
    @CsvSource(textBlock = """
        0.1.0,          0.2.0
        0.9.2,          0.10.0
        0.2,            0.2.1
        0.2.0-SNAPSHOT, 0.2.0
        0.2.0-rc1,      0.2.0-rc2
        1.0.0,          1.0.1-SNAPSHOT
        """)
    void versionsCompareAsReleasesDo(String older, String newer) {
        assertThat(AgentVersion.isOlder(older, newer)).isTrue();
        assertThat(AgentVersion.isOlder(newer, older)).isFalse();
    }

    @ParameterizedTest(name = "{0} and {1} are not compared")
    @CsvSource(textBlock = """
        dev,     0.2.0
        0.1.0,   unknown
        0.2.0,   0.2.0
        0.2.0,   0.2
        """)
    void versionsThatCannotBeOrderedAreNeverOlder(String a, String b) {
        assertThat(AgentVersion.isOlder(a, b)).isFalse();
    }

    private static Journal destroyed(Journal j) {
        Operation.Destroy destroy = new Operation.Destroy(NAME, DestroyReason.STOPPED);
        return j.withIntent(destroy, at(5)).withSuccess(destroy, at(5), null);
    }
}
