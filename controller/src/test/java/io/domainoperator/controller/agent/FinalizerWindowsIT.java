package io.domainoperator.controller.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.controller.journal.FileJournalStore;
import io.domainoperator.controller.journal.JournalFile;
import io.domainoperator.hypervisor.sim.SimulatedHypervisor;
import io.domainoperator.reconciler.Journal;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The windows the agent's own finalizer opens ({@link FinalizerWrite}: added while the first boot runs, not before
 * it): an object deleted before its finalizer landed still has its domain halted, its journal forgotten and nothing
 * created twice; a new object of the same name waits for that; a finalizer write that conflicts loses nothing.
 */
class FinalizerWindowsIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String OBJECT_PATH = "/apis/domainoperator.io/v1alpha1/namespaces/default/domainconfigs/vm";

    @TempDir
    Path state;

    /** The backend, counting its creates. */
    private static final class CountedCreates extends io.domainoperator.hypervisor.ForwardingHypervisor {
        final java.util.concurrent.atomic.AtomicInteger creates = new java.util.concurrent.atomic.AtomicInteger();

        CountedCreates(io.domainoperator.hypervisor.Hypervisor backend) {
            super(backend);
        }

        @Override
        public io.domainoperator.hypervisor.DomainInfo createPaused(io.domainoperator.hypervisor.DomainDefinition definition) {
            creates.incrementAndGet();
            return super.createPaused(definition);
        }
    }

    private boolean journalled(String key) {
        FileJournalStore<Journal> journals = FileJournalStore.mapped(state.resolve("journal"), JournalFile.class,
            JournalFile::of, JournalFile::journal);
        return journals.load(key).isPresent();
    }

    /** Every replace of the object itself (the finalizer's write) fails; status writes go through. */
    private static void finalizerNeverLands(AgentHarness h) {
        h.server.mockServer().expect().put().withPath(OBJECT_PATH)
            .andReturn(500, new StatusBuilder().withCode(500).withMessage("scripted: etcd unavailable").build()).always();
    }

    @Test
    void anObjectDeletedWhileItsFirstCreateRunsAndBeforeItsFinalizerLandedHasItsDomainHaltedOnce() {
        HeldHypervisor hv = new HeldHypervisor(SimulatedHypervisor.builder().seed(5).build());
        hv.hold("createPaused", "vm");
        CountedCreates counted = new CountedCreates(hv);
        try (AgentHarness h = new AgentHarness(state, AgentHarness.fastKnobs(), counted)) {
            finalizerNeverLands(h);
            h.apply(AgentHarness.domain("vm"));
            await("the create is running").atMost(WAIT).until(() -> hv.entered("createPaused", "vm"));
            assertThat(h.get("vm").getMetadata().getFinalizers()).as("the finalizer did not land").isNullOrEmpty();

            h.client.resource(h.get("vm")).delete();
            await("no finalizer holds the object: gone at once").atMost(WAIT).until(() -> h.get("vm") == null);
            hv.release("createPaused", "vm");

            await("the domain the create made is halted and forgotten").atMost(WAIT).untilAsserted(() -> {
                assertThat(h.backend.listDomains()).noneMatch(d -> d.name().equals("vm"));
                assertThat(journalled("default/vm")).as("journal").isFalse();
            });
            assertThat(counted.creates.get()).as("created once, never again after the deletion").isEqualTo(1);
        }
    }

    @Test
    void aNewObjectOfTheSameNameWaitsUntilTheDeletedOnesDomainIsHalted() {
        HeldHypervisor hv = new HeldHypervisor(SimulatedHypervisor.builder().seed(5).build());
        hv.hold("createPaused", "vm");
        CountedCreates counted = new CountedCreates(hv);
        try (AgentHarness h = new AgentHarness(state, AgentHarness.fastKnobs(), counted)) {
            finalizerNeverLands(h);
            h.apply(AgentHarness.domain("vm"));
            await("the create is running").atMost(WAIT).until(() -> hv.entered("createPaused", "vm"));
            h.client.resource(h.get("vm")).delete();
            await("gone").atMost(WAIT).until(() -> h.get("vm") == null);
            String newUid = h.apply(AgentHarness.domain("vm")).getMetadata().getUid();
            hv.release("createPaused", "vm");

            await("the new object's domain Running").atMost(WAIT).untilAsserted(() -> {
                DomainConfig dc = h.get("vm");
                assertThat(dc.getStatus()).isNotNull();
                assertThat(dc.getStatus().getPhase()).isEqualTo(DomainPhase.Running);
            });
            assertThat(h.get("vm").getMetadata().getUid()).as("the new object").isEqualTo(newUid);
            assertThat(h.backend.listDomains()).filteredOn(d -> d.name().equals("vm")).hasSize(1);
            assertThat(counted.creates.get()).as("the deleted object's domain, then the new one's: halted in between").isEqualTo(2);
        }
    }

    @Test
    void aFinalizerWriteThatConflictsIsAddedOnTheFreshObjectAndTheDomainIsCreatedOnce() {
        CountedCreates counted = new CountedCreates(SimulatedHypervisor.builder().seed(5).build());
        try (AgentHarness h = new AgentHarness(state, AgentHarness.fastKnobs(), counted)) {
            h.server.mockServer().expect().put().withPath(OBJECT_PATH)
                .andReturn(409, new StatusBuilder().withCode(409).withReason("Conflict")
                    .withMessage("the object has been modified").build()).once();
            h.apply(AgentHarness.domain("vm"));

            await("Running, with the finalizer").atMost(WAIT).untilAsserted(() -> {
                DomainConfig dc = h.get("vm");
                assertThat(dc.getStatus()).isNotNull();
                assertThat(dc.getStatus().getPhase()).isEqualTo(DomainPhase.Running);
                assertThat(dc.getMetadata().getFinalizers()).contains(DomainConfig.FINALIZER);
            });
            assertThat(counted.creates.get()).isEqualTo(1);

            h.client.resource(h.get("vm")).delete();
            await("halted, then the finalizer let go").atMost(WAIT).until(() -> h.get("vm") == null);
            assertThat(h.backend.listDomains()).noneMatch(d -> d.name().equals("vm"));
        }
    }
}
