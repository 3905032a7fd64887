package io.domainoperator.controller.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.api.v1alpha1.HostShutdownPolicy;
import io.domainoperator.controller.standalone.EmbeddedApiServer;
import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.ProcessCommandRunner;
import io.domainoperator.hypervisor.xl.XlHypervisor;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18, save at the node's shutdown on the xl backend, through the agent: the halt-all saves the Save domain with
 * {@code xl save <domid> <image>} into the agent's save directory and halts the other; the next agent restores it with
 * {@code xl restore -p}, unpauses it and removes the image, and never boots it again. Xen cannot run on these machines:
 * the xl is hypervisor-adapter's fake ({@code src/test/resources/xl/fake-xl.sh}, Xen 4.17's argv, every call logged),
 * the same one the adapter's own save/restore tests use.
 */
class XlSaveRestoreAgentIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Path FAKES = Path.of("..").toAbsolutePath().normalize()
        .resolve("hypervisor-adapter/src/test/resources/xl");
    @TempDir
    Path state;
    @TempDir
    Path xlNode;

    @Test
    void savedWithXlSaveAtTheNodesShutdownAndRestoredWithXlRestoreByTheNextAgent() throws IOException {
        XlHypervisor xl = fakeXl();
        try (EmbeddedApiServer server = new EmbeddedApiServer()) {
            KubernetesClient client = server.client();
            DomainConfig saved = AgentHarness.domain("keeper");
            saved.getSpec().setOnHostShutdown(HostShutdownPolicy.Save);
            Stream.of(saved, AgentHarness.domain("plain")).forEach(dc -> client.resource(dc).create());
            NodeAgent first = startAgent(client, xl);
            try {
                await("both Running").atMost(WAIT).until(() -> phase(client, "keeper") == DomainPhase.Running
                    && phase(client, "plain") == DomainPhase.Running);
            } finally {
                first.close();
            }
            int keeperId = domain(xl, "keeper").domainId();

            new ShutdownHalt(client, xl, config(), Clock.systemUTC()).haltAll();

            assertThat(xl.listDomains()).as("nothing of ours runs after the node's shutdown").noneMatch(DomainInfo::ours);
            List<Path> images = images();
            assertThat(images).hasSize(1);
            // Written under a temporary name, renamed once complete: a partial file is never taken for an image.
            String save = "save " + keeperId + " " + images.get(0) + ".partial";
            assertThat(calls()).as("xl save by domid into the agent's save directory").contains(save);
            assertThat(calls()).noneMatch(c -> c.startsWith("save") && !c.equals(save));
            assertThat(phase(client, "keeper")).isEqualTo(DomainPhase.Suspended);
            assertThat(phase(client, "plain")).isEqualTo(DomainPhase.Halted);
            long createsBefore = calls().stream().filter(c -> c.startsWith("create")).count();

            NodeAgent second = startAgent(client, xl);
            try {
                await("both Running again, keeper restored").atMost(WAIT).untilAsserted(() -> {
                    assertThat(phase(client, "keeper")).isEqualTo(DomainPhase.Running);
                    assertThat(phase(client, "plain")).isEqualTo(DomainPhase.Running);
                    Condition restored = client.resources(DomainConfig.class).inNamespace("default")
                        .withName("keeper").get().getStatus().condition("Restored");
                    assertThat(restored).isNotNull();
                    assertThat(restored.getStatus()).isEqualTo("True");
                    assertThat(images()).as("the image goes once the guest runs").isEmpty();
                });
            } finally {
                second.close();
            }
            List<String> restores = calls().stream().filter(c -> c.startsWith("restore")).toList();
            assertThat(restores).hasSize(1);
            assertThat(restores.get(0)).startsWith("restore -p ").endsWith(" " + images.get(0));
            assertThat(calls().stream().filter(c -> c.startsWith("create")).count())
                .as("plain booted afresh, keeper restored, not booted").isEqualTo(createsBefore + 1);
            assertThat(domain(xl, "keeper").state().paused()).as("unpaused after the restore").isFalse();
        }
    }

    private AgentConfig config() {
        return AgentHarness.config("xl", state);
    }

    private NodeAgent startAgent(KubernetesClient client, XlHypervisor xl) {
        return AgentHarness.started(config(), client, xl);
    }

    /** A node with the fake xl and its xenstore tools, as MigrationPipeProcessIT sets one up. */
    private XlHypervisor fakeXl() throws IOException {
        Path fakeState = xlNode.resolve("xl-state");
        Path xl = install(xlNode.resolve("xl"), "fake-xl.sh", fakeState);
        List<Path> tools = new ArrayList<>();
        for (String tool : List.of("xenstore-read", "xenstore-ls", "xenstore-rm")) {
            tools.add(install(xlNode.resolve(tool), "fake-xenstore.sh", fakeState));
        }
        return new XlHypervisor(new ProcessCommandRunner(), new XlHypervisor.Settings(xlNode.resolve("run"),
            xl.toString(), Duration.ofSeconds(30), Duration.ofSeconds(30), tools.get(0).toString(),
            tools.get(1).toString(), tools.get(2).toString()));
    }

    private static Path install(Path to, String fake, Path fakeState) throws IOException {
        Files.writeString(to, Files.readString(FAKES.resolve(fake)).replace("@STATE@", fakeState.toString()));
        Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rwxr-xr-x"));
        return to;
    }

    private List<String> calls() throws IOException {
        Path calls = xlNode.resolve("xl-state/calls");
        return Files.exists(calls) ? Files.readAllLines(calls) : List.of();
    }

    private static DomainInfo domain(XlHypervisor xl, String name) {
        return xl.listDomains().stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow();
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

    private static DomainPhase phase(KubernetesClient client, String name) {
        DomainConfig dc = client.resources(DomainConfig.class).inNamespace("default").withName(name).get();
        return dc == null || dc.getStatus() == null ? null : dc.getStatus().getPhase();
    }
}
