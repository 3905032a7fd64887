package io.domainoperator.controller.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.domainoperator.api.v1alpha1.DesiredState;
import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.api.v1alpha1.HostShutdownPolicy;
import io.domainoperator.controller.standalone.EmbeddedApiServer;
import io.domainoperator.hypervisor.DomainDefinition;
import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.ForwardingHypervisor;
import io.domainoperator.hypervisor.sim.SimulatedHypervisor;
import io.domainoperator.hypervisor.sim.SimulatedSaveImages;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18, save and restore through the agent on the simulator and the API server emulation: at the node's shutdown
 * the domains whose spec.onHostShutdown is Save are saved (dependents first), the others halted; the next agent
 * restores the saved ones (no second boot) and boots the others; desiredState Suspended saves and Running restores;
 * a corrupt image falls back to a boot, says so, and is kept under another name.
 */
class SaveRestoreAgentIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    @TempDir
    Path state;

    /** Counts boots and restores, and records saves in order. */
    static class Recording extends ForwardingHypervisor {
        final List<String> calls = new CopyOnWriteArrayList<>();

        Recording(SimulatedHypervisor sim) {
            super(new SimulatedSaveImages(sim));
        }

        @Override
        public DomainInfo createPaused(DomainDefinition d) {
            calls.add("create " + d.name());
            return super.createPaused(d);
        }

        @Override
        public DomainInfo restorePaused(DomainDefinition d, String image) {
            calls.add("restore " + d.name());
            return super.restorePaused(d, image);
        }

        @Override
        public void saveToFile(String name, String image) {
            calls.add("save " + name);
            super.saveToFile(name, image);
        }

        long count(String call) {
            return calls.stream().filter(call::equals).count();
        }
    }

    private AgentConfig config() {
        return AgentHarness.config("sim", state);
    }

    private NodeAgent startAgent(KubernetesClient client, Recording hv) {
        return AgentHarness.started(config(), client, hv);
    }

    @Test
    void savedAtTheNodesShutdownAndRestoredNotRebootedByTheNextAgent() throws IOException {
        SimulatedHypervisor sim = SimulatedHypervisor.builder().seed(7).build();
        Recording hv = new Recording(sim);
        try (EmbeddedApiServer server = new EmbeddedApiServer()) {
            KubernetesClient client = server.client();
            DomainConfig nfs = AgentHarness.domain("nfs-server");
            DomainConfig app = AgentHarness.domain("app", "nfs-server");
            DomainConfig plain = AgentHarness.domain("plain");
            nfs.getSpec().setOnHostShutdown(HostShutdownPolicy.Save);
            app.getSpec().setOnHostShutdown(HostShutdownPolicy.Save);
            Stream.of(nfs, app, plain).forEach(dc -> client.resource(dc).create());
            NodeAgent first = startAgent(client, hv);
            try {
                await("all Running").atMost(WAIT).until(() -> Stream.of("nfs-server", "app", "plain")
                    .allMatch(n -> phase(client, n) == DomainPhase.Running));
            } finally {
                first.close();
            }
            new ShutdownHalt(client, hv, config(), Clock.systemUTC()).haltAll();

            assertThat(sim.listDomains()).as("nothing runs after the node's shutdown").isEmpty();
            assertThat(hv.calls.indexOf("save app")).as("dependents first")
                .isGreaterThanOrEqualTo(0).isLessThan(hv.calls.indexOf("save nfs-server"));
            assertThat(hv.calls).doesNotContain("save plain");
            assertThat(images()).hasSize(2);
            assertThat(phase(client, "nfs-server")).as("saved: Suspended until restored, so that app waits for it")
                .isEqualTo(DomainPhase.Suspended);
            assertThat(phase(client, "plain")).isEqualTo(DomainPhase.Halted);

            NodeAgent second = startAgent(client, hv);
            try {
                await("all Running again, the saved ones restored").atMost(WAIT).untilAsserted(() -> {
                    for (String n : List.of("nfs-server", "app", "plain")) {
                        assertThat(phase(client, n)).as(n).isEqualTo(DomainPhase.Running);
                    }
                    for (String n : List.of("nfs-server", "app")) {
                        Condition restored = get(client, n).getStatus().condition("Restored");
                        assertThat(restored).as(n).isNotNull();
                        assertThat(restored.getStatus()).isEqualTo("True");
                    }
                    assertThat(images()).as("the images go once the guests run").isEmpty();
                });
            } finally {
                second.close();
            }
            assertThat(hv.count("restore nfs-server")).isEqualTo(1);
            assertThat(hv.count("restore app")).isEqualTo(1);
            assertThat(hv.count("create nfs-server")).as("restored, not booted again").isEqualTo(1);
            assertThat(hv.count("create app")).isEqualTo(1);
            assertThat(hv.count("create plain")).as("halted, then booted afresh").isEqualTo(2);
            assertThat(hv.calls.indexOf("restore app")).as("dependencies first").isGreaterThan(hv.calls.indexOf("restore nfs-server"));
            assertThat(reasons(client, "app")).contains("Restored");
        }
    }

    @Test
    void suspendedSavesRunningRestoresAndACorruptImageFallsBackToABootKeepingIt() throws IOException {
        SimulatedHypervisor sim = SimulatedHypervisor.builder().seed(7).build();
        Recording hv = new Recording(sim);
        try (EmbeddedApiServer server = new EmbeddedApiServer()) {
            KubernetesClient client = server.client();
            client.resource(AgentHarness.domain("vm")).create();
            NodeAgent agent = startAgent(client, hv);
            try {
                await("Running").atMost(WAIT).until(() -> phase(client, "vm") == DomainPhase.Running);

                edit(client, s -> s.setDesiredState(DesiredState.Suspended));
                await("Suspended").atMost(WAIT).until(() -> phase(client, "vm") == DomainPhase.Suspended);
                assertThat(sim.listDomains()).as("a suspended domain holds nothing").isEmpty();
                assertThat(images()).hasSize(1);

                edit(client, s -> s.setDesiredState(DesiredState.Running));
                await("restored").atMost(WAIT).until(() -> phase(client, "vm") == DomainPhase.Running
                    && images().isEmpty());
                assertThat(hv.count("restore vm")).isEqualTo(1);
                assertThat(hv.count("create vm")).isEqualTo(1);

                edit(client, s -> s.setDesiredState(DesiredState.Suspended));
                await("Suspended again").atMost(WAIT).until(() -> phase(client, "vm") == DomainPhase.Suspended);
                Path image = images().get(0);
                Files.writeString(image, "damaged\n");

                edit(client, s -> s.setDesiredState(DesiredState.Running));
                await("booted afresh, saying why").atMost(WAIT).untilAsserted(() -> {
                    assertThat(phase(client, "vm")).isEqualTo(DomainPhase.Running);
                    Condition restored = get(client, "vm").getStatus().condition("Restored");
                    assertThat(restored.getStatus()).isEqualTo("False");
                    assertThat(restored.getReason()).isEqualTo("RestoreFailed");
                    assertThat(restored.getMessage()).contains("corrupt");
                });
                assertThat(hv.count("create vm")).as("the fallback boot").isEqualTo(2);
                assertThat(reasons(client, "vm")).contains("RestoreFailed");
                try (Stream<Path> files = Files.list(image.getParent())) {
                    List<Path> aside = files.filter(p -> p.getFileName().toString().contains(".failed-")).toList();
                    assertThat(aside).as("the image is kept under another name").hasSize(1);
                    assertThat(Files.readString(aside.get(0))).isEqualTo("damaged\n");
                }

                client.resources(DomainConfig.class).inNamespace("default").withName("vm").delete();
                await("deleted, and the image set aside for it with it").atMost(WAIT).untilAsserted(() -> {
                    assertThat(get(client, "vm")).isNull();
                    try (Stream<Path> files = Files.list(image.getParent())) {
                        assertThat(files.toList()).as("no keepDisksOnDelete: nothing of it is kept").isEmpty();
                    }
                });
            } finally {
                agent.close();
            }
        }
    }

    private List<Path> images() throws IOException {
        Path dir = SaveImageStore.under(state);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".save")).toList();
        }
    }

    /** A spec edit; the agent's status writes may race it (409), then it is made again on the object as it is now. */
    private static void edit(KubernetesClient client, Consumer<DomainConfigSpec> change) {
        for (int attempt = 1; ; attempt++) {
            try {
                client.resources(DomainConfig.class).inNamespace("default").withName("vm").edit(dc -> {
                    change.accept(dc.getSpec());
                    return dc;
                });
                return;
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 5) {
                    throw e;
                }
            }
        }
    }

    private static DomainConfig get(KubernetesClient client, String name) {
        return client.resources(DomainConfig.class).inNamespace("default").withName(name).get();
    }

    private static DomainPhase phase(KubernetesClient client, String name) {
        DomainConfig dc = get(client, name);
        return dc == null || dc.getStatus() == null ? null : dc.getStatus().getPhase();
    }

    private static List<String> reasons(KubernetesClient client, String name) {
        return client.v1().events().inNamespace("default").list().getItems().stream()
            .filter(e -> name.equals(e.getInvolvedObject().getName())).map(Event::getReason).toList();
    }
}
