package io.domainoperator.controller.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.controller.standalone.ManifestFolder;
import io.domainoperator.hypervisor.DomainInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.domainoperator.testing.Manifests;

/**
 * Standalone mode end to end on the simulator: a manifest an editor empties while saving in place, or a second
 * file declaring the same domain, must leave the running domain and its disk copy alone.
 */
class ManifestEditSafetyIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path state;
    @TempDir
    Path manifests;

    private static String manifest(String name, Path disk, int vcpus) {
        return Manifests.domainConfig(name, "vcpus: " + vcpus, "memoryMiB: 64", "shutdownTimeoutSeconds: 5", "disks:",
            "  - source: " + disk, "    target: xvda", "    copyOnStart: true");
    }

    @Test
    void anEmptiedOrDuplicatedManifestNeverHaltsTheDomainNorRemovesItsDiskCopy() throws Exception {
        Path images = Files.createDirectories(state.resolve("images"));
        Path source = Files.writeString(images.resolve("base.img"), "disk image");
        try (AgentHarness h = new AgentHarness(state, AgentHarness.fastKnobs())) {
            ManifestFolder folder = new ManifestFolder(manifests, h.client, AgentHarness.NODE);
            Path vm = manifests.resolve("vm.yaml");
            Files.writeString(vm, manifest("vm", source, 1));
            assertThat(folder.sync()).isEmpty();
            await("vm Running").atMost(WAIT).untilAsserted(() -> assertThat(phase(h, "vm")).isEqualTo(DomainPhase.Running));
            List<Path> copies = copies(state.resolve("img"));
            assertThat(copies).as("the per-domain copy").hasSize(1);
            Files.writeString(copies.getFirst(), "written by the guest");
            List<DomainInfo> before = h.hypervisor.listDomains();

            Files.writeString(vm, "");
            assertThat(folder.sync()).singleElement().asString().contains("is empty");
            Files.writeString(manifests.resolve("0-copy.yaml"), manifest("vm", source, 2));
            assertThat(folder.sync()).as("vm.yaml, still empty, keeps declaring vm").hasSize(2)
                .anySatisfy(p -> assertThat(p).contains("declared in both").contains("kept as vm.yaml declared it before"));
            Files.writeString(vm, manifest("vm", source, 1));
            Files.delete(manifests.resolve("0-copy.yaml"));
            assertThat(folder.sync()).isEmpty();
            // A second domain, booted after the edits: once it runs, the agent has seen every earlier change.
            Files.writeString(manifests.resolve("other.yaml"), manifest("other", source, 1));
            assertThat(folder.sync()).isEmpty();
            await("other Running").atMost(WAIT).untilAsserted(() -> assertThat(phase(h, "other")).isEqualTo(DomainPhase.Running));

            assertThat(h.hypervisor.listDomains()).as("vm is the same domain, never halted nor recreated")
                .extracting(DomainInfo::domainId).containsAll(before.stream().map(DomainInfo::domainId).toList());
            assertThat(h.eventReasons("vm")).as("no halt was started").noneMatch(r -> r.contains("Halt") || r.contains("Shutdown"));
            assertThat(Files.readString(copies.getFirst())).as("the disk copy the guest wrote is kept").isEqualTo("written by the guest");
        }
    }

    private static DomainPhase phase(AgentHarness h, String name) {
        DomainConfig dc = h.get(name);
        return dc == null || dc.getStatus() == null ? null : dc.getStatus().getPhase();
    }

    private static List<Path> copies(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".img")).toList();
        }
    }
}
