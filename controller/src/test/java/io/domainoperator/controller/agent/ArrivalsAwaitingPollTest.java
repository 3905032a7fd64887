package io.domainoperator.controller.agent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Regression (stop 14, LiveMigrationE2E under load): the target's DomainConfig loop decided on a poll from before the
 * guest was resumed, saw it paused with no CPU time, and rebuilt it as half-created. It now waits for a later poll.
 */
class ArrivalsAwaitingPollTest {
    @Test
    void anArrivedGuestIsHeldUntilAPollStartedAfterItsResumeAnswered() {
        ArrivalsAwaitingPoll arrivals = new ArrivalsAwaitingPoll();
        assertThat(arrivals.awaiting("apps/web", 3)).as("nothing resumed here").isFalse();
        arrivals.resumed("apps/web", 5);
        assertThat(arrivals.awaiting("apps/web", 4)).as("the latest snapshot predates the resume").isTrue();
        assertThat(arrivals.awaiting("apps/other", 4)).isFalse();
        assertThat(arrivals.awaiting("apps/web", 5)).as("poll 5 started after the resume").isFalse();
        assertThat(arrivals.awaiting("apps/web", 4)).as("released for good").isFalse();
    }
}
