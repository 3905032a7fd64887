package io.domainoperator.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The harness's arithmetic and parsing, which CI runs in a blink; the benchmark itself runs only with -Pbench. */
class HarnessSmokeTest {

    @Test
    void percentilesAreNearestRankSoEachIsATimeSomeDomainTook() {
        List<Double> hundred = new java.util.ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            hundred.add((double) i);
        }
        Percentiles p = Percentiles.of(hundred);
        assertThat(p.p50()).isEqualTo(50);
        assertThat(p.p95()).isEqualTo(95);
        assertThat(p.p99()).isEqualTo(99);
        assertThat(p.max()).isEqualTo(100);
        assertThat(Percentiles.of(List.of(7.0)).p99()).isEqualTo(7);
        assertThat(Percentiles.of(List.of()).p50()).isNaN();
    }

    @Test
    void aFigureSaysWhetherItsTargetIsMetAndNeverFails() {
        assertThat(Figure.secondsAtMost("s", "P50", 850, 0.9).verdict()).isEqualTo(Figure.Verdict.MET);
        assertThat(Figure.secondsAtMost("s", "P50", 95_000, 0.9)).satisfies(f -> {
            assertThat(f.verdict()).isEqualTo(Figure.Verdict.NOT_MET);
            assertThat(f.value()).isEqualTo("95 s");
            assertThat(f.target()).isEqualTo("<= 0.90 s");
        });
        assertThat(Figure.atMost("s", "heap", 100, "MiB", Double.NaN).verdict()).isEqualTo(Figure.Verdict.NONE);
        assertThat(Figure.atMost("s", "no data", Double.NaN, "s", 1).verdict()).isEqualTo(Figure.Verdict.NOT_MET);
        assertThat(Figure.secondsAtMost("s", "P99", Double.POSITIVE_INFINITY, 1)).satisfies(f -> {
            assertThat(f.verdict()).isEqualTo(Figure.Verdict.NOT_MET);
            assertThat(f.value()).isEqualTo("never (not all Running)");
        });
    }

    @Test
    void theTableHasAHeaderARuleAndOneRowPerFigure() {
        List<Figure> figures = List.of(Figure.secondsAtMost("create-100", "creation to Running P50", 1070, 0.9),
            Figure.info("create-100", "Events per domain", "3"));
        assertThat(ResultsReport.text(figures).lines()).hasSize(4).element(2).asString()
            .contains("create-100").contains("1.07 s").contains("NOT met");
        assertThat(ResultsReport.markdown(figures)).startsWith("| scenario | figure | value | target | verdict |\n|---|---|---|---|---|\n");
    }

    @Test
    void cpuTicksAreReadPastACommandNameWithSpacesAndParentheses() {
        String stat = "4242 (java (agent) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 1234 567 0 0 20 0 50 0 100 0 0";
        assertThat(ProcStat.cpuTicks(stat)).isEqualTo(1234 + 567);
    }

    @Test
    void eventsAreTalliedPerDomainAndADoubleStartedIsCounted() {
        List<Event> events = List.of(event("a", "Started", 1), event("a", "Started", 1), event("b", "Started", 1),
            event("b", "Created", 2), event("other", "Started", 5));
        EventTally t = EventTally.of(events, Set.of("a", "b"));
        assertThat(t.domainsWithDuplicateStarted()).isEqualTo(1);
        assertThat(t.startedEvents()).isEqualTo(3);
        assertThat(t.eventsPerDomain()).isEqualTo(2.5);
    }

    @Test
    void scenariosAreSelectedByNameAndAnUnknownOneIsNamed() {
        assertThat(BenchMain.select("create-100, hol-list")).extracting(Scenario::name).containsExactly("create-100", "hol-list");
        assertThatThrownBy(() -> BenchMain.select("create-5")).hasMessageContaining("no scenario 'create-5'")
            .hasMessageContaining("scale-10000");
    }

    @Test
    void aNewRunGoesFirstAndEarlierRunsStay() {
        String first = ResultsMarkdown.prepend(null, "## run 1\n\n| a |\n");
        String second = ResultsMarkdown.prepend(first, "## run 2\n\n| b |\n");
        assertThat(second).startsWith(ResultsMarkdown.TITLE + ResultsMarkdown.INTRO + "## run 2")
            .containsOnlyOnce("# Node benchmark results").containsOnlyOnce("## run 1").endsWith("| a |\n");
    }

    /** Regression: notes written beside the runs (a ### heading above the newest run) were dropped by the next run. */
    @Test
    void notesWrittenAboveTheRunsStay() {
        String withNotes = ResultsMarkdown.prepend(null, "## run 1\n\n| a |\n")
            .replace("## run 1", "### Notes on run 1\n\nwhy it was slow\n\n## run 1");
        String next = ResultsMarkdown.prepend(withNotes, "## run 2\n\n| b |\n");
        assertThat(next).startsWith(ResultsMarkdown.TITLE + ResultsMarkdown.INTRO + "## run 2")
            .containsOnlyOnce("why it was slow").containsOnlyOnce("## run 1").endsWith("| a |\n");
    }

    private static Event event(String name, String reason, int count) {
        return new EventBuilder().withNewInvolvedObject().withName(name).endInvolvedObject().withReason(reason)
            .withCount(count).build();
    }
}
