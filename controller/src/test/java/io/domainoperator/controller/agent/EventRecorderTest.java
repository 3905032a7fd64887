package io.domainoperator.controller.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.controller.standalone.EmbeddedApiServer;
import io.domainoperator.testing.Specs;
import io.fabric8.kubernetes.api.model.Event;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Events wait in a bounded queue for the API server, and are written with what they are about and when it happened. */
class EventRecorderTest {
    private static DomainConfig domain(String name) {
        DomainConfig dc = Specs.domainConfig("default", name, Specs.minimal(name, 1, 64, spec -> { }));
        dc.getMetadata().setUid("uid-" + name);
        dc.getMetadata().setResourceVersion("42");
        return dc;
    }

    @Test
    void anEventWrittenLateCarriesTheTimeItHappenedAndWhatItIsAbout() {
        Clock then = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);
        try (EmbeddedApiServer server = new EmbeddedApiServer();
             EventRecorder events = new EventRecorder(server.client(), "domain-operator-agent", "node-a", then)) {
            events.record(domain("web"), "Normal", "Started", "domain web (id 7) is running");

            await("the event written").atMost(Duration.ofSeconds(30)).until(() -> events.written() == 1);
            List<Event> list = server.client().v1().events().inNamespace("default").list().getItems();
            assertThat(list).singleElement().satisfies(e -> {
                assertThat(e.getReason()).isEqualTo("Started");
                assertThat(e.getType()).isEqualTo("Normal");
                assertThat(e.getMessage()).isEqualTo("domain web (id 7) is running");
                assertThat(e.getFirstTimestamp()).isEqualTo("2026-12-01T10:00:00Z");
                assertThat(e.getInvolvedObject().getKind()).isEqualTo("DomainConfig");
                assertThat(e.getInvolvedObject().getName()).isEqualTo("web");
                assertThat(e.getInvolvedObject().getNamespace()).isEqualTo("default");
                assertThat(e.getInvolvedObject().getUid()).isEqualTo("uid-web");
                assertThat(e.getInvolvedObject().getResourceVersion()).isEqualTo("42");
                assertThat(e.getSource().getHost()).isEqualTo("node-a");
                assertThat(e.getReportingInstance()).isEqualTo("node-a");
            });
        }
    }

    @Test
    void aFullQueueDropsTheEventCountsItAndNeverBlocksTheCaller() {
        try (EmbeddedApiServer server = new EmbeddedApiServer();
             EventRecorder events = new EventRecorder(server.client(), "domain-operator-agent", "node-a",
                 Clock.systemUTC(), 3, 0)) {
            for (int i = 0; i < 5; i++) {
                events.record(domain("d" + i), "Normal", "Started", "running");
            }
            assertThat(events.waiting()).isEqualTo(3);
            assertThat(events.failures()).isEqualTo(2);
        }
    }
}
