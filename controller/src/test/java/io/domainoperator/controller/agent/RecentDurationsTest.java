package io.domainoperator.controller.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RecentDurationsTest {
    private static final Duration FLOOR = Duration.ofSeconds(10);

    @Test
    void withNothingToCompareWithAWaitIsLongAfterTheFloor() {
        assertThat(new RecentDurations().longAfter("CreatePaused", FLOOR)).isEqualTo(FLOOR);
    }

    @Test
    void quickCallsLeaveTheFloorAndSlowOnesRaiseItToFourTimesTheirMedian() {
        RecentDurations d = new RecentDurations();
        for (int i = 0; i < 10; i++) {
            d.record("CreatePaused", Duration.ofMillis(800));
        }
        assertThat(d.longAfter("CreatePaused", FLOOR)).isEqualTo(FLOOR);

        for (int i = 0; i < RecentDurations.WINDOW; i++) {
            d.record("CreatePaused", Duration.ofSeconds(7));
        }
        assertThat(d.longAfter("CreatePaused", FLOOR)).isEqualTo(Duration.ofSeconds(28));
        assertThat(d.longAfter("Unpause", FLOOR)).as("each kind on its own").isEqualTo(FLOOR);
    }

    @Test
    void onlyTheLastWindowCountsSoANodeThatRecoversIsJudgedByItsQuickCallsAgain() {
        RecentDurations d = new RecentDurations();
        for (int i = 0; i < RecentDurations.WINDOW; i++) {
            d.record("look", Duration.ofSeconds(30));
        }
        for (int i = 0; i < RecentDurations.WINDOW / 2 + 1; i++) {
            d.record("look", Duration.ofMillis(20));
        }
        assertThat(d.median("look")).isEqualTo(Duration.ofMillis(20));
        assertThat(d.longAfter("look", FLOOR)).isEqualTo(FLOOR);
    }

    @Test
    void oneOutlierDoesNotMoveTheMedian() {
        RecentDurations d = new RecentDurations();
        for (int i = 0; i < 9; i++) {
            d.record("Shutdown", Duration.ofMillis(30));
        }
        d.record("Shutdown", Duration.ofMinutes(5));
        assertThat(d.median("Shutdown")).isEqualTo(Duration.ofMillis(30));
    }
}
