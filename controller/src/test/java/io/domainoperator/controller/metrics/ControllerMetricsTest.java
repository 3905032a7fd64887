package io.domainoperator.controller.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The cluster controller's meters: names, the closed set of no-fit reasons, the leader flag. */
class ControllerMetricsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        0/3 nodes fit: 2 insufficient memory (need 2048 MiB, 512 MiB free), 1 not responding (heartbeat Lease expired) | insufficient_memory
        0/2 nodes fit: 2 missing adapter edge-1-eth1 (it is on node edge-1)                                            | missing_adapter
        0/1 nodes fit: 1 adapter eth1 busy (held by apps/other)                                                        | adapter_busy
        0/1 nodes fit: 1 adapter eth1 not assignable (keepInHost)                                                     | adapter_not_assignable
        0/4 nodes fit: 4 not responding (heartbeat Lease expired)                                                      | not_responding
        0/0 nodes fit: no node agent publishes a heartbeat Lease yet                                                   | no_nodes
        0/1 nodes fit: 1 something new                                                                                 | other
        """)
    void aNoFitMessageBecomesOneOfAFewReasons(String message, String label) {
        assertThat(ControllerMetrics.firstReason(message)).isEqualTo(label);
        assertThat(ControllerMetrics.NO_FIT_REASONS).contains(label);
    }

    @Test
    void exportsPlacementsUnplacedByReasonLeaderAndAdmissions() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AtomicBoolean leader = new AtomicBoolean(false);
        ControllerMetrics m = new ControllerMetrics(registry, leader::get);
        m.placed();
        m.placed();
        m.unplaced(List.of("insufficient_memory", "insufficient_memory", "adapter_busy"));
        m.admission(true);
        m.admission(false);
        m.admission(false);
        leader.set(true);

        assertThat(registry.scrape())
            .contains("domainoperator_controller_placements_total 2.0")
            .contains("domainoperator_controller_unplaced_domains{reason=\"insufficient_memory\"} 2.0")
            .contains("domainoperator_controller_unplaced_domains{reason=\"adapter_busy\"} 1.0")
            .contains("domainoperator_controller_unplaced_domains{reason=\"no_nodes\"} 0.0")
            .contains("domainoperator_controller_leader 1.0")
            .contains("domainoperator_controller_webhook_admissions_total{result=\"allowed\"} 1.0")
            .contains("domainoperator_controller_webhook_admissions_total{result=\"denied\"} 2.0");

        m.unplaced(List.of());
        assertThat(registry.scrape()).as("a pass replaces the previous counts")
            .contains("domainoperator_controller_unplaced_domains{reason=\"insufficient_memory\"} 0.0");
    }
}
