package io.domainoperator.controller.agent;

import static io.domainoperator.controller.agent.AgentHarness.domain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.reconciler.Reasons;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rule 12 in the agent (on the simulator backend): a journal saying the domain was started by the xl backend, and
 * one written by a newer agent, are left alone with a condition that says why; neither is rewritten and no domain
 * is created beside one that may run.
 */
class PinnedJournalIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    @TempDir
    Path state;

    @Test
    void aDomainOfAnotherBackendAndAJournalOfANewerAgentAreLeftAloneWithAReason() throws Exception {
        Path journals = Files.createDirectories(state.resolve("journal"));
        Path xlJournal = journals.resolve("default%2Fon-xl.json");
        String xl = """
            {"generation": 1, "domainName": "on-xl", "uuid": "6f1c2b1e-0d7a-4c43-9a43-5a4f0b9b1a01", "domainId": 7,
             "format": 2, "startedByBackend": "xl", "startedByVersion": "0.1.0", "writtenBy": "0.1.0"}
            """;
        Files.writeString(xlJournal, xl);
        Path newerJournal = journals.resolve("default%2Ffrom-future.json");
        String newer = """
            {"generation": 1, "domainName": "from-future", "format": 9, "writtenBy": "9.0.0", "aFactOf9": [1, 2]}
            """;
        Files.writeString(newerJournal, newer);

        try (AgentHarness h = new AgentHarness(state, AgentHarness.fastKnobs())) {
            h.apply(domain("on-xl"));
            h.apply(domain("from-future"));
            h.apply(domain("fresh"));

            await("fresh Running, the other two Unknown with their reasons").atMost(WAIT).untilAsserted(() -> {
                assertThat(phase(h, "fresh")).isEqualTo(DomainPhase.Running);
                assertThat(reason(h, "on-xl")).isEqualTo(Reasons.STARTED_BY_OTHER_BACKEND);
                assertThat(reason(h, "from-future")).isEqualTo(NewerJournalRefusal.REASON);
            });
            assertThat(phase(h, "on-xl")).isEqualTo(DomainPhase.Unknown);
            assertThat(phase(h, "from-future")).isEqualTo(DomainPhase.Unknown);
            assertThat(h.get("on-xl").getStatus().condition("Ready").getMessage())
                .contains("started by the xl backend (agent 0.1.0)").contains("runs the sim backend");
            assertThat(h.get("from-future").getStatus().condition("Ready").getMessage())
                .contains("written by agent 9.0.0 in format 9").contains("run agent 9.0.0 or newer");
            assertThat(h.hypervisor.listDomains()).extracting(d -> d.name()).containsExactly("fresh");
            assertThat(newerJournal).content().as("a newer agent's journal is never rewritten").isEqualTo(newer);
            assertThat(Files.readString(journals.resolve("default%2Ffresh.json")))
                .contains("\"startedByBackend\" : \"sim\"").contains("\"format\" : 2");
        }
    }

    private static DomainPhase phase(AgentHarness h, String name) {
        DomainConfig dc = h.get(name);
        return dc == null || dc.getStatus() == null ? null : dc.getStatus().getPhase();
    }

    private static String reason(AgentHarness h, String name) {
        DomainConfig dc = h.get(name);
        return dc == null || dc.getStatus() == null || dc.getStatus().condition("Ready") == null ? null
            : dc.getStatus().condition("Ready").getReason();
    }
}
