package io.domainoperator.controller.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.domainoperator.controller.journal.FileJournalStore;
import io.domainoperator.controller.journal.JournalFile;
import io.domainoperator.reconciler.Journal;
import io.domainoperator.reconciler.Reasons;
import io.domainoperator.reconciler.StartedBy;
import io.domainoperator.hypervisor.DomainDefinition;
import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.HostInfo;
import io.domainoperator.hypervisor.Hypervisor;
import io.domainoperator.hypervisor.sim.SimulatedHypervisor;
import io.fabric8.kubernetes.api.model.Event;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rule 12 on the orphan path, in the agent: the state directory holds the journal of an orphan an xl agent was
 * halting (no DomainConfig claims it) when the node moved to another backend. The new agent (the simulator here)
 * cannot see that domain: it neither destroys nor forgets it, keeps the journal as it was, and records one warning
 * on its Node naming both backends.
 */
class OrphanPinIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path state;

    @Test
    void anOrphanJournalOfAnotherBackendIsLeftAloneAndReportedOnTheNode() throws Exception {
        FileJournalStore<Journal> journals = FileJournalStore.mapped(state.resolve("journal"), JournalFile.class,
            JournalFile::of, JournalFile::journal);
        Journal onXl = new Journal(0, null, null, new Journal.Identity("xlvm", null, 3, null, null,
            new StartedBy("xl", "0.1.0")), null, null, null, null, Instant.parse("2026-11-30T10:00:00Z"));
        journals.save("orphan/xlvm", onXl);
        Journal saved = journals.load("orphan/xlvm").orElseThrow();

        CountingLists sim = new CountingLists(SimulatedHypervisor.builder().seed(7).build());
        try (AgentHarness h = new AgentHarness(state, AgentHarness.fastKnobs(), sim)) {
            await("a warning on the Node").atMost(WAIT).untilAsserted(() -> assertThat(nodeWarnings(h))
                .anySatisfy(e -> assertThat(e.getMessage()).contains("orphan domain xlvm")
                    .contains("the xl backend (agent 0.1.0)").contains("this agent runs the sim backend")));
            int polls = sim.lists.get();
            await("a few more polls and sweeps").atMost(WAIT).until(() -> sim.lists.get() >= polls + 5);

            assertThat(journals.load("orphan/xlvm")).as("neither forgotten nor acted on").contains(saved);
            assertThat(nodeWarnings(h)).as("reported once, not every poll").hasSize(1);
        }
    }

    /** The simulator, counting its polls. */
    private static final class CountingLists implements Hypervisor {
        final AtomicInteger lists = new AtomicInteger();
        private final SimulatedHypervisor sim;

        CountingLists(SimulatedHypervisor sim) {
            this.sim = sim;
        }

        @Override public String backendName() { return sim.backendName(); }
        @Override public List<DomainInfo> listDomains() { lists.incrementAndGet(); return sim.listDomains(); }
        @Override public DomainInfo createPaused(DomainDefinition d) { return sim.createPaused(d); }
        @Override public void unpause(String name) { sim.unpause(name); }
        @Override public void pause(String name) { sim.pause(name); }
        @Override public void requestShutdown(String name) { sim.requestShutdown(name); }
        @Override public void destroy(String name) { sim.destroy(name); }
        @Override public HostInfo hostInfo() { return sim.hostInfo(); }
    }

    private static List<Event> nodeWarnings(AgentHarness h) {
        return h.client.v1().events().inNamespace("default").list().getItems().stream()
            .filter(e -> "Node".equals(e.getInvolvedObject().getKind()))
            .filter(e -> Reasons.STARTED_BY_OTHER_BACKEND.equals(e.getReason())).toList();
    }
}
