package io.domainoperator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.api.v1alpha1.DomainMigrationSpec;
import io.domainoperator.api.v1alpha1.DomainMigrationStatus;
import io.domainoperator.api.v1alpha1.MigrationConditions;
import io.domainoperator.api.v1alpha1.MigrationPhase;
import io.domainoperator.hypervisor.MigrationProgress;
import io.domainoperator.hypervisor.MigrationProgress.State;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The copy deadlines on the source (KubeVirt's completionTimeoutPerGiB and progressTimeout): one row per moment of a
 * running copy, and what the source does. The guest is 128 MiB (MigrationRulesTest's domain), so 80 s per GiB allows
 * the copy 10 s; the copy started at 05:00:10 and the agent decides at 05:00:30 unless the row says otherwise.
 */
class CopyDeadlineRulesTest {
    static final CopyDeadlines TIGHT = new CopyDeadlines(Duration.ofSeconds(80), Duration.ofSeconds(5));
    static final CopyDeadlines LOOSE = new CopyDeadlines(Duration.ofSeconds(800), Duration.ofSeconds(150));
    static final String COPY_START = "2026-11-24T05:00:10Z";

    static Stream<Arguments> rows() {
        return Stream.of(
            // deadlines, seconds since copy start, seconds since last progress (-1: not watched), -> reason written
            Arguments.of(LOOSE, 20, 1, null),
            Arguments.of(LOOSE, 20, -1, null),
            Arguments.of(TIGHT, 9, 1, null),
            Arguments.of(TIGHT, 11, 1, MigrationConditions.COPY_TIMED_OUT),
            Arguments.of(TIGHT, 9, 6, MigrationConditions.NO_PROGRESS),
            Arguments.of(TIGHT, 9, 5, null),
            // Both passed: the completion deadline is the one named.
            Arguments.of(TIGHT, 20, 20, MigrationConditions.COPY_TIMED_OUT),
            Arguments.of(LOOSE, 100, 151, MigrationConditions.NO_PROGRESS));
    }

    @ParameterizedTest(name = "{0}: {1} s into the copy, {2} s since progress -> {3}")
    @MethodSource("rows")
    void aRunningCopyPastADeadlineFailsTheMigrationOnTheSource(CopyDeadlines deadlines, int ran, int stalled, String reason) {
        MigrationDecision d = decide(deadlines, ran, stalled);
        assertThat(d.hasOperation()).as("the failure is written first; the cancel follows it").isFalse();
        assertThat(d.holdsDomain()).isTrue();
        if (reason == null) {
            assertThat(d.status()).isNull();
            return;
        }
        assertThat(d.status().getPhase()).isEqualTo(MigrationPhase.Failed);
        assertThat(d.status().getHandoverTime()).isNull();
        assertThat(d.status().condition(MigrationConditions.COMPLETE).getReason()).isEqualTo(reason);
        assertThat(d.status().getMigrationTimeMillis()).as("how long the copy ran").isEqualTo(ran * 1000L);
    }

    @Test
    void theMessagesCarryTheFigures() {
        assertThat(message(decide(TIGHT, 11, 1))).isEqualTo("the copy to node-b did not complete within 10.0 s "
            + "(spec.completionTimeoutPerGiB 80 s for 0.125 GiB of memory); it ran 11.0 s, 5242880 bytes sent, "
            + "120586240 left; it is cancelled and the domain keeps running on node-a");
        assertThat(message(decide(TIGHT, 9, 6))).isEqualTo("the copy to node-b made no progress for 6.0 s "
            + "(spec.progressTimeout 5 s): the target or the network stopped taking bytes, 5242880 bytes sent, 120586240 "
            + "left; it is cancelled after 9.0 s and the domain keeps running on node-a");
    }

    @Test
    void afterTheFailureTheSourceCancelsOrResumesAndTheTargetDestroysItsCopy() {
        DomainMigrationStatus failed = decide(TIGHT, 11, 1).status();
        assertThat(decideOn(MigrationRulesTest.A, failed, MigrationRulesTest.Dom.RUNNING, State.ACTIVE).operation())
            .isInstanceOf(MigrationOperations.CancelMigration.class);
        // The copy completed as the deadline passed: the guest was stopped for the final copy, and is resumed here.
        assertThat(decideOn(MigrationRulesTest.A, failed, MigrationRulesTest.Dom.PAUSED, State.COMPLETED).operation())
            .isInstanceOf(MigrationOperations.ResumeSource.class);
        assertThat(decideOn(MigrationRulesTest.A, failed, MigrationRulesTest.Dom.RUNNING, State.FAILED).hasOperation())
            .as("cancelled: nothing left to do on the source").isFalse();
        assertThat(decideOn(MigrationRulesTest.B, failed, MigrationRulesTest.Dom.PAUSED, State.ACTIVE).operation())
            .isInstanceOf(MigrationOperations.DestroyCopy.class);
    }

    @Test
    void startingTheCopyRecordsItsStartAndAStatusWithoutOneCountsFromTheMigrationsStart() {
        DomainMigrationStatus ready = MigrationRulesTest.status(MigrationPhase.TargetReady, false, false);
        MigrationDecision start = MigrationRulesTest.ENGINE.decide(new MigrationInput(MigrationRulesTest.A, ready, null,
            MigrationRulesTest.domain(MigrationRulesTest.Dom.RUNNING), MigrationProgress.NONE, "h", 1, Fixtures.at(30)));
        assertThat(start.status().getCopyStartTime()).isEqualTo("2026-11-24T05:00:30Z");
        DomainMigrationStatus old = MigrationRulesTest.status(MigrationPhase.Migrating, false, false);
        old.setStartTime(COPY_START);
        MigrationDecision d = MigrationRulesTest.ENGINE.decide(new MigrationInput(MigrationRulesTest.A, old, null,
            MigrationRulesTest.domain(MigrationRulesTest.Dom.RUNNING), copying(), "h", 1, Fixtures.at(30), TIGHT, null));
        assertThat(d.status().condition(MigrationConditions.COMPLETE).getReason()).isEqualTo(MigrationConditions.COPY_TIMED_OUT);
    }

    @Test
    void deadlinesDefaultAsKubeVirtsAndScaleWithTheGuestsMemory() {
        assertThat(CopyDeadlines.of(null)).isEqualTo(new CopyDeadlines(Duration.ofSeconds(800), Duration.ofSeconds(150)));
        DomainMigrationSpec spec = new DomainMigrationSpec();
        spec.setProgressTimeout(7);
        assertThat(CopyDeadlines.of(spec)).isEqualTo(new CopyDeadlines(Duration.ofSeconds(800), Duration.ofSeconds(7)));
        spec.setCompletionTimeoutPerGiB(60);
        assertThat(CopyDeadlines.of(spec).completion(256L << 20)).isEqualTo(Duration.ofSeconds(15));
        assertThat(CopyDeadlines.of(spec).completion(0)).as("size unknown: 1 GiB").isEqualTo(Duration.ofSeconds(60));
        assertThat(new CopyDeadlines(Duration.ofSeconds(86400), Duration.ofSeconds(1)).completion(16L << 40))
            .as("no overflow at the largest values").isEqualTo(Duration.ofSeconds(86400L * 16 * 1024));
    }

    @Test
    void progressIsANewLowOfTheRemainderOrMoreBytesSentWhereThereIsNoRemainder() {
        var t0 = Fixtures.at(0);
        CopyWatch w = CopyWatch.next(null, figures(100, 900), t0);
        assertThat(CopyWatch.next(w, figures(200, 800), Fixtures.at(1)).lastProgress()).isEqualTo(Fixtures.at(1));
        CopyWatch dirtied = CopyWatch.next(w, figures(300, 950), Fixtures.at(2));
        assertThat(dirtied.lastProgress()).as("the remainder rose: pages dirtied again").isEqualTo(t0);
        assertThat(CopyWatch.next(dirtied, figures(400, 920), Fixtures.at(3)).lastProgress())
            .as("lower than before, but no new low").isEqualTo(t0);
        assertThat(CopyWatch.next(dirtied, figures(400, 899), Fixtures.at(3)).lastProgress()).isEqualTo(Fixtures.at(3));
        CopyWatch sentOnly = CopyWatch.next(null, figures(100, MigrationProgress.UNKNOWN), t0);
        assertThat(CopyWatch.next(sentOnly, figures(100, MigrationProgress.UNKNOWN), Fixtures.at(4)).lastProgress()).isEqualTo(t0);
        assertThat(CopyWatch.next(sentOnly, figures(101, MigrationProgress.UNKNOWN), Fixtures.at(4)).lastProgress())
            .isEqualTo(Fixtures.at(4));
        CopyWatch blind = CopyWatch.next(null, new MigrationProgress(State.ACTIVE, 0, 0, null), t0);
        assertThat(CopyWatch.next(blind, new MigrationProgress(State.ACTIVE, 0, 0, null), Fixtures.at(600)).lastProgress())
            .as("no figure at all (xl): never judged stalled").isEqualTo(Fixtures.at(600));
    }

    private static MigrationProgress figures(long sent, long remaining) {
        return new MigrationProgress(State.ACTIVE, 0, 0, null, sent, remaining);
    }

    private static MigrationProgress copying() {
        return new MigrationProgress(State.ACTIVE, 0, 0, null, 5_242_880, 120_586_240);
    }

    private static MigrationDecision decide(CopyDeadlines deadlines, int ran, int stalled) {
        DomainMigrationStatus st = MigrationRulesTest.status(MigrationPhase.Migrating, false, false);
        st.setStartTime("2026-11-24T05:00:00Z");
        st.setCopyStartTime(COPY_START);
        var now = Fixtures.at(10 + ran);
        CopyWatch watch = stalled < 0 ? null : new CopyWatch(120_586_240, 5_242_880, now.minusSeconds(stalled));
        return MigrationRulesTest.ENGINE.decide(new MigrationInput(MigrationRulesTest.A, st, null,
            MigrationRulesTest.domain(MigrationRulesTest.Dom.RUNNING), copying(), "h", 1, now, deadlines, watch));
    }

    private static MigrationDecision decideOn(String node, DomainMigrationStatus st, MigrationRulesTest.Dom dom, State copy) {
        return MigrationRulesTest.ENGINE.decide(new MigrationInput(node, st, null, MigrationRulesTest.domain(dom),
            new MigrationProgress(copy, 0, 0, null), "h", 1, Fixtures.at(40)));
    }

    private static String message(MigrationDecision d) {
        return d.status().condition(MigrationConditions.COMPLETE).getMessage();
    }
}
