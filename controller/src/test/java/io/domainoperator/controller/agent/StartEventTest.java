package io.domainoperator.controller.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.domainoperator.controller.doctor.HostCheck;
import io.domainoperator.controller.standalone.EmbeddedApiServer;
import io.fabric8.kubernetes.api.model.Event;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The agent's start Event on its Node carries doctor's verdict; a failed backend check makes it a Warning. */
class StartEventTest {

    @Test
    void aCleanHostIsANormalEventAndAFailedBackendCheckAWarningNamingIt() {
        try (EmbeddedApiServer server = new EmbeddedApiServer()) {
            EventRecorder events = new EventRecorder(server.client(), "domain-operator-agent", "node-a", Clock.systemUTC());
            StartEvent.record(events, "sim", List.of());
            StartEvent.record(events, "xl", List.of(new HostCheck("xl hypervisor", HostCheck.Status.FAIL,
                "/proc/xen is missing: boot the node into Xen"), new HostCheck("free disk", HostCheck.Status.WARN,
                "2 GiB free under /persist/img")));

            // Events are written by the recorder's own thread, off the caller's: wait until both have landed.
            await().atMost(Duration.ofSeconds(30)).until(() -> events.written() + events.failures() >= 2);
            List<Event> list = server.client().v1().events().inNamespace("default").list().getItems();
            assertThat(list).hasSize(2).allSatisfy(e -> {
                assertThat(e.getReason()).isEqualTo(StartEvent.REASON);
                assertThat(e.getInvolvedObject().getKind()).isEqualTo("Node");
                assertThat(e.getInvolvedObject().getName()).isEqualTo("node-a");
                assertThat(e.getSource().getComponent()).isEqualTo("domain-operator-agent");
            });
            Event clean = list.stream().filter(e -> e.getMessage().contains("sim backend")).findFirst().orElseThrow();
            assertThat(clean.getType()).isEqualTo("Normal");
            assertThat(clean.getMessage()).contains("every host check passed");
            Event blocked = list.stream().filter(e -> e.getMessage().contains("xl backend")).findFirst().orElseThrow();
            assertThat(blocked.getType()).isEqualTo("Warning");
            assertThat(blocked.getMessage()).contains("2 host check(s) did not pass")
                .contains("xl hypervisor: FAIL: /proc/xen is missing").contains("not ready until they pass");
        }
    }
}
