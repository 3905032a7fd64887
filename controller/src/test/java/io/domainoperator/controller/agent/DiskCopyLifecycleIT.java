package io.domainoperator.controller.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.domainoperator.api.v1alpha1.Disk;
import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainConfigStatus;
import io.domainoperator.api.v1alpha1.DomainPhase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A domain's disk copy on the simulator: reported in status.diskPaths, kept while its DomainConfig exists (also
 * halted), removed on deletion only after the domain is gone, and kept on deletion with keepDisksOnDelete.
 */
class DiskCopyLifecycleIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path state;

    private static DomainConfig withCopy(String name, Path source, boolean keep) {
        DomainConfig dc = AgentHarness.domain(name);
        Disk disk = new Disk();
        disk.setSource(source.toString());
        disk.setTarget("xvda");
        disk.setCopyOnStart(true);
        dc.getSpec().setDisks(List.of(disk));
        dc.getSpec().setKeepDisksOnDelete(keep ? true : null);
        return dc;
    }

    @Test
    void theCopyLivesAsLongAsItsDomainConfigUnlessKept() throws Exception {
        Path source = Files.writeString(Files.createDirectories(state.resolve("images")).resolve("base.img"), "image");
        try (AgentHarness h = new AgentHarness(state, AgentHarness.fastKnobs())) {
            h.apply(withCopy("vm", source, false));
            h.apply(withCopy("kept", source, true));
            await("both Running, copies reported").atMost(WAIT).untilAsserted(() -> {
                for (String name : List.of("vm", "kept")) {
                    DomainConfigStatus st = h.get(name).getStatus();
                    assertThat(st).as(name + " has a status").isNotNull();
                    assertThat(st.getPhase()).isEqualTo(DomainPhase.Running);
                    assertThat(st.getDiskPaths()).singleElement().asString().startsWith(state.resolve("img").toString())
                        .endsWith(st.getUuid() + ".img");
                }
            });
            Path vmCopy = Path.of(h.get("vm").getStatus().getDiskPaths().getFirst());
            Path keptCopy = Path.of(h.get("kept").getStatus().getDiskPaths().getFirst());
            assertThat(h.get("vm").getStatus().getConfigFile()).as("the simulator keeps no config file").isNull();

            DomainConfig vm = h.get("vm");
            vm.getSpec().setActivate(false);
            h.client.resource(vm).update();
            await("vm Halted").atMost(WAIT).untilAsserted(() -> assertThat(h.get("vm").getStatus().getPhase()).isEqualTo(DomainPhase.Halted));
            assertThat(vmCopy).as("halted, its DomainConfig still there: the copy stays").exists();
            assertThat(h.get("vm").getStatus().getDiskPaths()).containsExactly(vmCopy.toString());

            h.client.resource(h.get("vm")).delete();
            h.client.resource(h.get("kept")).delete();
            await("both gone").atMost(WAIT).untilAsserted(() -> {
                assertThat(h.get("vm")).isNull();
                assertThat(h.get("kept")).isNull();
            });
            assertThat(h.hypervisor.listDomains()).isEmpty();
            assertThat(vmCopy).as("deleted: its copy is removed").doesNotExist();
            assertThat(keptCopy).as("keepDisksOnDelete").exists();
            assertThat(source).as("a source is never touched").exists();
        }
    }
}
