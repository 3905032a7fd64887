package io.domainoperator.controller.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.api.v1alpha1.Conditions;
import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainConfigStatus;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.controller.journal.FileJournalStore;
import io.domainoperator.controller.journal.JournalFile;
import io.domainoperator.reconciler.Journal;
import io.domainoperator.testing.Specs;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who acts when spec.nodeName moves under a domain: the node it left, the node it names, or neither. */
class NodeMoveTest {
    @TempDir
    Path dir;
    FileJournalStore<Journal> journals;
    NodeMove onB;
    NodeMove onA;

    @BeforeEach
    void stores() {
        journals = FileJournalStore.mapped(dir, JournalFile.class, JournalFile::of, JournalFile::journal);
        onB = new NodeMove("node-b", () -> journals, Clock.systemUTC());
        onA = new NodeMove("node-a", () -> null, Clock.systemUTC());
    }

    private static DomainConfig web(String nodeName, DomainPhase phase, String statusNode) {
        DomainConfig dc = Specs.domainConfig("default", "web", Specs.minimal("web", 1, 64, s -> s.setNodeName(nodeName)));
        if (phase != null) {
            DomainConfigStatus st = new DomainConfigStatus();
            st.setPhase(phase);
            st.setNode(statusNode);
            st.setConditions(new java.util.ArrayList<>(List.of(new ConditionBuilder().withType(Conditions.PLACED)
                .withStatus(Conditions.TRUE).withReason("Assigned").build())));
            dc.setStatus(st);
        }
        return dc;
    }

    @Test
    void theNewNodeWaitsWhileTheOldNodesReportSaysADomainMayRunThere() {
        for (DomainPhase phase : List.of(DomainPhase.Booting, DomainPhase.Running, DomainPhase.Paused, DomainPhase.Halting,
            DomainPhase.Unknown)) {
            assertThat(onB.waitsFor(web("node-b", phase, "node-a"))).as(phase.name()).contains("node-a");
        }
        for (DomainPhase phase : List.of(DomainPhase.Pending, DomainPhase.Scheduled, DomainPhase.Halted, DomainPhase.Broken)) {
            assertThat(onB.waitsFor(web("node-b", phase, "node-a"))).as(phase.name()).isEmpty();
        }
        assertThat(onB.waitsFor(web("node-b", DomainPhase.Running, "node-b"))).as("its own report").isEmpty();
        assertThat(onB.waitsFor(web("node-b", null, null))).as("a new domain").isEmpty();
    }

    @Test
    void aNodeThatHasTheDomainItselfDoesNotWait() {
        // A live migration's target: its journal records the incoming copy, whose guest runs here since the hand-over.
        journals.save("default/web", Journal.empty());
        assertThat(onB.waitsFor(web("node-b", DomainPhase.Running, "node-a"))).isEmpty();
    }

    @Test
    void theOldNodeStillSeesWhatItRanOrReportedLast() {
        assertThat(onB.concernsThisNode(web("node-b", null, null))).isTrue();
        assertThat(onB.concernsThisNode(web("node-c", DomainPhase.Running, "node-c"))).isFalse();
        assertThat(onB.concernsThisNode(web("node-c", DomainPhase.Running, "node-b"))).as("its report is the last").isTrue();
        journals.save("default/web", Journal.empty());
        // A live migration's target: a journal of the incoming copy while spec.nodeName still names the source.
        assertThat(onB.concernsThisNode(web("node-a", DomainPhase.Running, "node-a"))).as("the source's until handed over").isFalse();
        assertThat(onB.ranHere(web("node-a", DomainPhase.Running, "node-a"))).isFalse();
    }

    @Test
    void theReleaseClearsTheNodeAndSaysWhereTheDomainGoesKeepingTheControllersConditions() {
        DomainConfig dc = web("node-b", DomainPhase.Halting, "node-a");
        DomainConfigStatus released = onA.released(dc);

        assertThat(released.getPhase()).isEqualTo(DomainPhase.Pending);
        assertThat(released.getNode()).isNull();
        assertThat(released.getDomainId()).isNull();
        assertThat(released.condition(Conditions.READY).getReason()).isEqualTo(NodeMove.MOVED);
        assertThat(released.condition(Conditions.READY).getMessage())
            .isEqualTo("spec.nodeName changed to node-b while the domain ran on node-a: node-a halted it and released it; node-b boots it");
        assertThat(released.condition(Conditions.BOOTED).getStatus()).isEqualTo(Conditions.FALSE);
        assertThat(released.condition(Conditions.PLACED)).as("the controller's condition is kept").isNotNull();
        assertThat(dc.getStatus().getPhase()).as("the object is not changed").isEqualTo(DomainPhase.Halting);
        assertThat(onA.reportsLast(dc)).isTrue();
        assertThat(onA.reportsLast(web("node-b", DomainPhase.Running, "node-b"))).as("never over a newer report").isFalse();
    }

    @Test
    void theHaltWishIsACopy() {
        DomainConfig dc = web("node-b", DomainPhase.Running, "node-a");
        DomainConfig halt = NodeMove.asHalt(dc);
        assertThat(halt.getSpec().isActive()).isFalse();
        assertThat(dc.getSpec().isActive()).isTrue();
        assertThat(Optional.ofNullable(halt.getMetadata().getName())).contains("web");
    }
}
