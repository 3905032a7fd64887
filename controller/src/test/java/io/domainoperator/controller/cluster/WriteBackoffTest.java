package io.domainoperator.controller.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WriteBackoffTest {
    private static final Instant T0 = Instant.parse("2026-11-24T06:00:00Z");

    @Test
    void repeatedFailuresWaitLongerUpToTheCapAndSuccessForgets() {
        WriteBackoff b = new WriteBackoff(Duration.ofSeconds(1), Duration.ofSeconds(8));
        assertThat(b.holds("ns/a", T0)).isFalse();

        b.failed("ns/a", T0);
        assertThat(b.holds("ns/a", T0.plusMillis(999))).isTrue();
        assertThat(b.holds("ns/a", T0.plusSeconds(1))).isFalse();
        b.failed("ns/a", T0);
        b.failed("ns/a", T0);
        assertThat(b.holds("ns/a", T0.plusSeconds(3))).as("third failure waits 4 s").isTrue();
        for (int i = 0; i < 10; i++) {
            b.failed("ns/a", T0);
        }
        assertThat(b.holds("ns/a", T0.plusSeconds(8))).as("capped at 8 s").isFalse();
        assertThat(b.holds("ns/b", T0)).as("other domains are not held").isFalse();

        b.succeeded("ns/a");
        assertThat(b.holds("ns/a", T0)).isFalse();
    }
}
