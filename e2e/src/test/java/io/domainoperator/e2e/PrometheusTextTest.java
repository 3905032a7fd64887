package io.domainoperator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import io.domainoperator.e2e.harness.PrometheusText;

class PrometheusTextTest {

    private static final String SCRAPE = """
            # HELP domainoperator_boot_attempts_total Domain boots attempted
            # TYPE domainoperator_boot_attempts_total counter
            domainoperator_boot_attempts_total{node="node-a"} 3.0
            domainoperator_domain_vcpus{name="web",namespace="ns"} 1
            domainoperator_domain_vcpus{name="db",namespace="ns"} 2
            reconcile_seconds_bucket{le="+Inf",note="a \\"quoted\\" value"} 7
            up 1 1700000000000
            """;

    @Test
    void readsSamplesByNameAndLabels() {
        PrometheusText text = PrometheusText.parse(SCRAPE);

        assertThat(text.sum("domainoperator_boot_attempts_total", Map.of("node", "node-a"))).isEqualTo(3.0);
        assertThat(text.sum("domainoperator_domain_vcpus", Map.of("namespace", "ns"))).isEqualTo(3.0);
        assertThat(text.samples("domainoperator_domain_vcpus", Map.of("name", "db"))).singleElement()
                .extracting(PrometheusText.Sample::value).isEqualTo(2.0);
        assertThat(text.samples("reconcile_seconds_bucket", Map.of())).singleElement()
                .satisfies(s -> assertThat(s.labels()).containsEntry("le", "+Inf").containsEntry("note", "a \"quoted\" value"));
        assertThat(text.sum("up", Map.of())).isEqualTo(1.0);
    }

    @Test
    void anAbsentCounterSumsToZero() {
        assertThat(PrometheusText.parse(SCRAPE).sum("domainoperator_boot_attempts_total", Map.of("node", "node-b"))).isZero();
    }

    @Test
    void aLineThatIsNoSampleIsRefusedWithTheLine() {
        assertThatThrownBy(() -> PrometheusText.parse("this is { not a sample"))
                .hasMessageContaining("this is { not a sample");
    }
}
