package io.domainoperator.controller.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.api.v1alpha1.HostShutdownPolicy;
import io.domainoperator.controller.standalone.EmbeddedApiServer;
import io.domainoperator.hypervisor.HypervisorException;
import io.domainoperator.hypervisor.sim.SimulatedHypervisor;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18, a save at the node's shutdown that does not work out, through the agent on the simulator: one that fails
 * (the disk is full) and one that does not finish by the halt's deadline. Either way the guest is halted as the Halt
 * policy would, nothing the save wrote is left, and the next agent says SaveFailed with the cause (not RestoreFailed,
 * "image missing") and boots the guest afresh.
 */
class HostShutdownSaveFailureIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    @TempDir
    Path state;

    /** The simulator's save, made to fail or to hang (until its domain is destroyed) while {@link #mode} says so. */
    static final class FaultySave extends SaveRestoreAgentIT.Recording {
        enum Mode { WORKS, DISK_FULL, HANGS }

        volatile Mode mode = Mode.WORKS;
        private final CountDownLatch destroyed = new CountDownLatch(1);

        FaultySave(SimulatedHypervisor sim) {
            super(sim);
        }

        @Override
        public void saveToFile(String name, String image) {
            if (mode == Mode.WORKS) {
                super.saveToFile(name, image);
                return;
            }
            calls.add("save " + name);
            try {
                Files.writeString(Path.of(image), "the first pages of a save\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (mode == Mode.DISK_FULL) {
                throw new HypervisorException("saveToFile", name, "write failed: No space left on device");
            }
            try {
                // As QEMU's migration to a file does: it ends only when its domain is destroyed under it.
                destroyed.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new HypervisorException("saveToFile", name, "the domain was destroyed during the save");
        }

        @Override
        public void destroy(String name) {
            calls.add("destroy " + name);
            super.destroy(name);
            destroyed.countDown();
        }
    }

    private AgentConfig config(Duration haltDeadline) {
        return new AgentConfig(AgentHarness.NODE, "sim", state, state.resolve("run"), state.resolve("img"),
            Path.of("/nonexistent-sysfs"), List.of(), AgentHarness.fastKnobs(), null, "127.0.0.1", 0, false,
            haltDeadline, null, 7, false, false, List.of(state));
    }

    @Test
    void aSaveThatFailsAtTheNodesShutdownIsHaltedAndTheNextStartSaysSaveFailedAndBoots() throws IOException {
        FaultySave hv = new FaultySave(SimulatedHypervisor.builder().seed(7).build());
        try (EmbeddedApiServer server = new EmbeddedApiServer()) {
            KubernetesClient client = server.client();
            runThenShutDown(client, hv, FaultySave.Mode.DISK_FULL, Duration.ofSeconds(30));

            assertThat(hv.listDomains()).as("the guest whose save failed is halted").isEmpty();
            bootedAfreshSaying(client, hv, "No space left on device");
        }
    }

    @Test
    void aSaveStillRunningAtTheHaltDeadlineIsCancelledItsPartialImageRemovedAndTheGuestDestroyed() throws IOException {
        FaultySave hv = new FaultySave(SimulatedHypervisor.builder().seed(7).build());
        try (EmbeddedApiServer server = new EmbeddedApiServer()) {
            KubernetesClient client = server.client();
            runThenShutDown(client, hv, FaultySave.Mode.HANGS, Duration.ofSeconds(3));

            assertThat(hv.listDomains()).as("destroyed at the deadline").isEmpty();
            assertThat(hv.calls).contains("destroy vm");
            assertThat(saveDirectory()).as("what the save wrote is gone").isEmpty();
            bootedAfreshSaying(client, hv, "did not finish by the node's shutdown deadline");
        }
    }

    private void runThenShutDown(KubernetesClient client, FaultySave hv, FaultySave.Mode saveMode,
                                 Duration haltDeadline) {
        DomainConfig vm = AgentHarness.domain("vm");
        vm.getSpec().setOnHostShutdown(HostShutdownPolicy.Save);
        client.resource(vm).create();
        NodeAgent first = new NodeAgent(config(haltDeadline), client, hv, new DeferredAssigner(), Clock.systemUTC());
        first.start();
        try {
            await("Running").atMost(WAIT).until(() -> phase(client) == DomainPhase.Running);
        } finally {
            first.close();
        }
        hv.mode = saveMode;
        new ShutdownHalt(client, hv, config(haltDeadline), Clock.systemUTC()).haltAll();
        hv.mode = FaultySave.Mode.WORKS;
        assertThat(hv.count("save vm")).isEqualTo(1);
    }

    private void bootedAfreshSaying(KubernetesClient client, FaultySave hv, String cause) throws IOException {
        NodeAgent second = new NodeAgent(config(Duration.ofSeconds(30)), client, hv, new DeferredAssigner(),
            Clock.systemUTC());
        second.start();
        try {
            await("booted afresh, saying the save failed").atMost(WAIT).untilAsserted(() -> {
                assertThat(phase(client)).isEqualTo(DomainPhase.Running);
                Condition restored = get(client).getStatus().condition("Restored");
                assertThat(restored).isNotNull();
                assertThat(restored.getStatus()).isEqualTo("False");
                assertThat(restored.getReason()).isEqualTo("SaveFailed");
                assertThat(restored.getMessage()).contains(cause);
            });
        } finally {
            second.close();
        }
        assertThat(hv.count("create vm")).as("booted afresh").isEqualTo(2);
        assertThat(hv.count("restore vm")).as("nothing to restore from").isZero();
        List<Event> events = client.v1().events().inNamespace("default").list().getItems().stream()
            .filter(e -> "vm".equals(e.getInvolvedObject().getName())).toList();
        assertThat(events).anySatisfy(e -> {
            assertThat(e.getReason()).isEqualTo("SaveFailed");
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getMessage()).contains(cause);
        });
        assertThat(events).noneSatisfy(e -> assertThat(e.getReason()).isEqualTo("RestoreFailed"));
        assertThat(saveDirectory()).as("nothing left in the save directory").isEmpty();
    }

    private List<Path> saveDirectory() throws IOException {
        Path dir = SaveImageStore.under(state);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }

    private static DomainConfig get(KubernetesClient client) {
        return client.resources(DomainConfig.class).inNamespace("default").withName("vm").get();
    }

    private static DomainPhase phase(KubernetesClient client) {
        DomainConfig dc = get(client);
        return dc == null || dc.getStatus() == null ? null : dc.getStatus().getPhase();
    }
}
