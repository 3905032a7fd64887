package io.domainoperator.controller.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.api.v1alpha1.DomainMigrationStatus;
import io.domainoperator.api.v1alpha1.MigrationPhase;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Regression (stop 14, LiveMigrationE2E under load; MigrationCrashE2E): the target's DomainConfig loop decided on a
 * poll from before the guest was resumed, saw it paused with no CPU time, and rebuilt it as half-created. It now waits
 * for a poll that started after the status recorded the resume, also when the agent that resumed it was restarted.
 */
class ResumedArrivalHoldTest {
    private final AtomicLong latestSnapshot = new AtomicLong(3);
    private final List<String> looksRequested = new ArrayList<>();
    private final ResumedArrivalHold arrivals = new ResumedArrivalHold(name -> {
        looksRequested.add(name);
        return 5; // the next poll to start
    }, latestSnapshot::get);

    @Test
    void anArrivedGuestIsHeldUntilAPollStartedAfterItsResumeAnswered() {
        assertThat(arrivals.holds("b", "m1", status("b", null))).as("nothing resumed here").isFalse();
        assertThat(looksRequested).as("no look asked for a guest not resumed").isEmpty();

        latestSnapshot.set(4);
        assertThat(arrivals.holds("b", "m1", status("b", "2026-12-01T00:00:00Z")))
            .as("the latest snapshot predates the resume").isTrue();
        assertThat(looksRequested).as("a look asked for the arrived guest").containsExactly("web");
        assertThat(arrivals.holds("b", "m2", status("b", null))).as("another migration, not resumed").isFalse();
        assertThat(arrivals.holds("a", "m1", status("b", "2026-12-01T00:00:00Z")))
            .as("the source node holds nothing by this rule").isFalse();

        latestSnapshot.set(5);
        assertThat(arrivals.holds("b", "m1", status("b", "2026-12-01T00:00:00Z"))).as("poll 5 started after the resume")
            .isFalse();
        latestSnapshot.set(4); // never goes back in practice: the ticket stays answered
        assertThat(arrivals.holds("b", "m1", status("b", "2026-12-01T00:00:00Z"))).as("released for good").isFalse();
        assertThat(looksRequested).as("one look per migration").hasSize(1);
    }

    @Test
    void aRestartedAgentHoldsAGuestResumedByItsPredecessor() {
        // A fresh hold (a new agent) sees the resume only in the status: it still waits for a poll of its own.
        assertThat(arrivals.holds("b", "m1", status("b", "2026-12-01T00:00:00Z"))).isTrue();
        latestSnapshot.set(5);
        assertThat(arrivals.holds("b", "m1", status("b", "2026-12-01T00:00:00Z"))).isFalse();
    }

    @Test
    void aDeletedMigrationIsForgotten() {
        arrivals.holds("b", "m1", status("b", "2026-12-01T00:00:00Z"));
        arrivals.retain(Set.of());
        latestSnapshot.set(4);
        assertThat(arrivals.holds("b", "m1", status("b", "2026-12-01T00:00:00Z"))).as("asks again").isTrue();
        assertThat(looksRequested).hasSize(2);
    }

    private static DomainMigrationStatus status(String target, String resumed) {
        DomainMigrationStatus st = new DomainMigrationStatus();
        st.setPhase(MigrationPhase.Migrating);
        st.setDomainName("web");
        st.setSourceNode("a");
        st.setTargetNode(target);
        st.setTargetResumedTime(resumed);
        return st;
    }
}
