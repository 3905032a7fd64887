package io.domainoperator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.api.v1alpha1.DomainMigrationStatus;
import io.domainoperator.api.v1alpha1.MigrationConditions;
import io.domainoperator.api.v1alpha1.MigrationPhase;
import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.DomainState;
import io.domainoperator.hypervisor.MigrationProgress;
import io.domainoperator.hypervisor.MigrationProgress.State;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Live migration's rules, one row per situation an agent can find: its role, the migration's phase and hand-over,
 * its domain and the hypervisor's copy state, and what it must do (operation, the phase it then writes, and
 * whether the domain is the migration's on this node).
 */
class MigrationRulesTest {
    static final String A = "node-a";
    static final String B = "node-b";
    static final MigrationDecider ENGINE = new MigrationDecider(Knobs.defaults());

    enum Dom { NONE, RUNNING, PAUSED }

    static Stream<Arguments> rows() {
        return Stream.of(
            // role, phase, handedOver, resumed, domain, copy, -> operation, phase written (null: none), holds
            row(B, MigrationPhase.Pending, false, false, Dom.NONE, State.NONE, "None", null, false),
            row(B, MigrationPhase.Scheduling, false, false, Dom.NONE, State.NONE, "PrepareIncoming", MigrationPhase.TargetReady, true),
            row(B, MigrationPhase.Scheduling, false, false, Dom.PAUSED, State.NONE, "DestroyCopy", null, true),
            row(B, MigrationPhase.TargetReady, false, false, Dom.PAUSED, State.NONE, "None", null, true),
            row(B, MigrationPhase.Migrating, false, false, Dom.PAUSED, State.ACTIVE, "None", null, true),
            row(B, MigrationPhase.Migrating, false, false, Dom.NONE, State.NONE, "None", MigrationPhase.Failed, true),
            // xl: no domain until the stream arrives, but the receiver listens.
            row(B, MigrationPhase.Migrating, false, false, Dom.NONE, State.ACTIVE, "None", null, true),
            row(B, MigrationPhase.Migrating, true, false, Dom.PAUSED, State.COMPLETED, "ResumeIncoming", MigrationPhase.Migrating, true),
            row(B, MigrationPhase.Migrating, true, false, Dom.RUNNING, State.COMPLETED, "None", MigrationPhase.Migrating, true),
            row(B, MigrationPhase.Migrating, true, false, Dom.NONE, State.NONE, "None", MigrationPhase.Failed, true),
            row(B, MigrationPhase.Migrating, true, true, Dom.RUNNING, State.COMPLETED, "None", null, true),
            row(B, MigrationPhase.Failed, false, false, Dom.PAUSED, State.ACTIVE, "DestroyCopy", null, true),
            row(B, MigrationPhase.Failed, false, false, Dom.NONE, State.NONE, "None", null, false),
            row(B, MigrationPhase.Succeeded, true, true, Dom.RUNNING, State.COMPLETED, "None", null, false),
            row(A, MigrationPhase.Scheduling, false, false, Dom.RUNNING, State.NONE, "None", null, false),
            row(A, MigrationPhase.TargetReady, false, false, Dom.RUNNING, State.NONE, "MigrateOut", MigrationPhase.Migrating, true),
            row(A, MigrationPhase.TargetReady, false, false, Dom.RUNNING, State.ACTIVE, "None", MigrationPhase.Migrating, true),
            row(A, MigrationPhase.TargetReady, false, false, Dom.PAUSED, State.NONE, "None", MigrationPhase.Failed, true),
            row(A, MigrationPhase.TargetReady, false, false, Dom.NONE, State.NONE, "None", MigrationPhase.Failed, true),
            row(A, MigrationPhase.Migrating, false, false, Dom.RUNNING, State.ACTIVE, "None", null, true),
            row(A, MigrationPhase.Migrating, false, false, Dom.PAUSED, State.COMPLETED, "None", MigrationPhase.Migrating, true),
            row(A, MigrationPhase.Migrating, false, false, Dom.RUNNING, State.FAILED, "None", MigrationPhase.Failed, true),
            row(A, MigrationPhase.Migrating, false, false, Dom.RUNNING, State.NONE, "MigrateOut", MigrationPhase.Migrating, true),
            row(A, MigrationPhase.Migrating, true, false, Dom.PAUSED, State.COMPLETED, "DestroyCopy", null, true),
            // Destroyed, but the DomainConfig still names this node until the migration ends: still held.
            row(A, MigrationPhase.Migrating, true, true, Dom.NONE, State.NONE, "None", null, true),
            row(A, MigrationPhase.Succeeded, true, true, Dom.NONE, State.NONE, "None", null, false),
            row(A, MigrationPhase.Failed, false, false, Dom.RUNNING, State.ACTIVE, "CancelMigration", null, true),
            row(A, MigrationPhase.Failed, false, false, Dom.PAUSED, State.COMPLETED, "ResumeSource", null, true),
            row(A, MigrationPhase.Failed, false, false, Dom.RUNNING, State.FAILED, "None", null, false),
            // Lost after the hand-over: the stopped source is never resumed, only destroyed.
            row(A, MigrationPhase.Failed, true, false, Dom.PAUSED, State.COMPLETED, "DestroyCopy", null, true),
            // An ended migration never touches a running guest that came back by other means.
            row(A, MigrationPhase.Succeeded, true, true, Dom.RUNNING, State.NONE, "None", null, false),
            row(B, MigrationPhase.Failed, false, false, Dom.RUNNING, State.NONE, "None", null, false),
            row("node-c", MigrationPhase.Migrating, false, false, Dom.RUNNING, State.NONE, "None", null, false));
    }

    static Arguments row(String node, MigrationPhase phase, boolean handedOver, boolean resumed, Dom dom, State copy,
                         String operation, MigrationPhase written, boolean holds) {
        return Arguments.of(node, phase, handedOver, resumed, dom, copy, operation, written, holds);
    }

    @ParameterizedTest(name = "{0} {1} handedOver={2} resumed={3} domain={4} copy={5} -> {6} {7}")
    @MethodSource("rows")
    void decides(String node, MigrationPhase phase, boolean handedOver, boolean resumed, Dom dom, State copy,
                 String operation, MigrationPhase written, boolean holds) {
        MigrationDecision d = ENGINE.decide(new MigrationInput(node, status(phase, handedOver, resumed), Fixtures.spec(),
            domain(dom), new MigrationProgress(copy, 1200, 40, copy == State.FAILED ? "connection reset" : null),
            "10.0.0.2", 49152, Fixtures.at(30)));
        assertThat(d.operation().kind()).isEqualTo(operation);
        assertThat(d.status() == null ? null : d.status().getPhase()).isEqualTo(written);
        assertThat(d.holdsDomain()).isEqualTo(holds);
    }

    @org.junit.jupiter.api.Test
    void theHandoverRecordsTheFiguresAndTheCondition() {
        MigrationDecision d = ENGINE.decide(new MigrationInput(A, status(MigrationPhase.Migrating, false, false), null,
            domain(Dom.PAUSED), new MigrationProgress(State.COMPLETED, 1200, 40, null), "h", 1, Fixtures.at(30)));
        assertThat(d.status().getHandoverTime()).isEqualTo("2026-11-24T05:00:30Z");
        assertThat(d.status().getMigrationTimeMillis()).isEqualTo(1200L);
        assertThat(d.status().getDowntimeMillis()).isEqualTo(40L);
        assertThat(d.status().condition(MigrationConditions.HANDED_OVER).getStatus()).isEqualTo("True");
    }

    @org.junit.jupiter.api.Test
    void aFailedCopyKeepsTheGuestOnTheSourceAndSaysHowLongItRanAndWhy() {
        MigrationDecision d = ENGINE.decide(new MigrationInput(A, status(MigrationPhase.Migrating, false, false), null,
            domain(Dom.RUNNING), new MigrationProgress(State.FAILED, 1200, 0, "Unable to write to socket: Broken pipe"),
            "h", 1, Fixtures.at(30)));
        assertThat(d.hasOperation()).as("a failed QEMU copy resumes the source by itself").isFalse();
        assertThat(d.status().getPhase()).isEqualTo(MigrationPhase.Failed);
        assertThat(d.status().getHandoverTime()).isNull();
        assertThat(d.status().getMigrationTimeMillis()).isEqualTo(1200L);
        assertThat(d.status().condition(MigrationConditions.COMPLETE).getReason()).isEqualTo(MigrationConditions.COPY_FAILED);
        assertThat(d.status().condition(MigrationConditions.COMPLETE).getMessage())
            .contains("the copy to " + B + " failed after 1200 ms: Unable to write to socket: Broken pipe")
            .contains("keeps running on " + A);
    }

    @org.junit.jupiter.api.Test
    void aFailedCopyWithoutTheHypervisorsFigureCountsFromTheMigrationsStart() {
        DomainMigrationStatus st = status(MigrationPhase.Migrating, false, false);
        st.setStartTime("2026-11-24T05:00:25Z");
        MigrationDecision d = ENGINE.decide(new MigrationInput(A, st, null, domain(Dom.RUNNING),
            new MigrationProgress(State.FAILED, 0, 0, "Unable to write to socket: Broken pipe"), "h", 1, Fixtures.at(30)));
        assertThat(d.status().getMigrationTimeMillis()).isEqualTo(5000L);
        assertThat(d.status().condition(MigrationConditions.COMPLETE).getMessage()).contains("failed after 5000 ms");
    }

    @org.junit.jupiter.api.Test
    void theTargetListensWhereItSaysAndAFailedPrepareFailsTheMigrationNamingTheSource() {
        MigrationDecision d = ENGINE.decide(new MigrationInput(B, status(MigrationPhase.Scheduling, false, false),
            Fixtures.spec(), null, MigrationProgress.NONE, "10.0.0.2", 49152, Fixtures.at(30)));
        assertThat(d.status().getTargetAddress()).isEqualTo("10.0.0.2:49152");
        DomainMigrationStatus failed = d.statusAfterFailure(status(MigrationPhase.Scheduling, false, false),
            "qemu exited: address in use", Fixtures.at(31));
        assertThat(failed.getPhase()).isEqualTo(MigrationPhase.Failed);
        assertThat(failed.condition(MigrationConditions.COMPLETE).getReason()).isEqualTo(MigrationConditions.TARGET_PREPARE_FAILED);
        assertThat(failed.condition(MigrationConditions.COMPLETE).getMessage())
            .contains("address in use").contains("stays on the source");
    }

    @org.junit.jupiter.api.Test
    void addressesSplitWithIpv6InBrackets() {
        assertThat(SourceMigrationRules.splitAddress("[fd00::2]:49152")).containsExactly("fd00::2", "49152");
        assertThat(SourceMigrationRules.splitAddress("10.0.0.2:49152")).containsExactly("10.0.0.2", "49152");
        assertThat(SourceMigrationRules.splitAddress("10.0.0.2")).isNull();
        assertThat(SourceMigrationRules.splitAddress("h:99999")).isNull();
    }

    static DomainMigrationStatus status(MigrationPhase phase, boolean handedOver, boolean resumed) {
        DomainMigrationStatus s = new DomainMigrationStatus();
        s.setPhase(phase);
        s.setSourceNode(A);
        s.setTargetNode(B);
        s.setDomainName("vm1");
        s.setUuid(Fixtures.UUID_TEXT);
        s.setTargetAddress(phase == MigrationPhase.Scheduling ? null : "10.0.0.2:49152");
        s.setHandoverTime(handedOver ? "2026-11-24T05:00:20Z" : null);
        s.setTargetResumedTime(resumed ? "2026-11-24T05:00:21Z" : null);
        return s;
    }

    static DomainInfo domain(Dom dom) {
        return switch (dom) {
            case NONE -> null;
            case RUNNING -> new DomainInfo(7, "vm1", Fixtures.UUID_VALUE, DomainState.RUNNING, 5_000_000L, 1, 1L << 27, 1L << 27, true);
            case PAUSED -> new DomainInfo(7, "vm1", Fixtures.UUID_VALUE, DomainState.PAUSED, 5_000_000L, 1, 1L << 27, 1L << 27, true);
        };
    }
}
