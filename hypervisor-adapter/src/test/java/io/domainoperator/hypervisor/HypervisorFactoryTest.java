package io.domainoperator.hypervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.domainoperator.hypervisor.sim.SimulatedHypervisor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backend selection against a fake root and PATH built in a temp directory. */
class HypervisorFactoryTest {
    @TempDir
    Path dir;
    private Path root;
    private Path bin;
    private final List<String> built = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectories(dir.resolve("root"));
        bin = Files.createDirectories(dir.resolve("bin"));
    }

    private HypervisorFactory factory(String... names) {
        Map<String, Supplier<Hypervisor>> backends = new java.util.LinkedHashMap<>();
        for (String name : names) {
            backends.put(name, () -> {
                built.add(name);
                return named(name);
            });
        }
        return new HypervisorFactory(backends, new HostProbe(root, List.of(dir.resolve("empty"), bin)));
    }

    @Test
    void prefersXlWhenProcXenExists() throws IOException {
        Files.createDirectories(root.resolve("proc/xen"));
        executable("qemu-system-x86_64");
        HypervisorFactory.Selection selection = factory("xl", "qemu", "sim").select(Optional.empty());
        assertThat(selection.backend()).isEqualTo("xl");
        assertThat(selection.reason()).contains("proc/xen exists");
    }

    @Test
    void fallsBackToQemuOnThePath() throws IOException {
        Path qemu = executable("qemu-system-x86_64");
        HypervisorFactory.Selection selection = factory("xl", "qemu", "sim").select(Optional.empty());
        assertThat(selection).isEqualTo(new HypervisorFactory.Selection("qemu",
            "auto-detected: " + qemu + " found, " + root.resolve("proc/xen") + " absent"));
    }

    @Test
    void ignoresANonExecutableQemu() throws IOException {
        Files.writeString(bin.resolve("qemu-system-x86_64"), "");
        assertThatThrownBy(() -> factory("xl", "qemu", "sim").select(Optional.empty()))
            .hasMessageContaining("--hypervisor=xl|qemu|sim");
    }

    @Test
    void explainsWhenNothingIsFoundAndNeverPicksTheSimulator() {
        assertThatThrownBy(() -> factory("xl", "qemu", "sim").create(Optional.empty()))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("no hypervisor found")
            .hasMessageContaining("qemu-system-x86_64 is not on the PATH")
            .hasMessageContaining("--hypervisor=xl|qemu|sim");
        assertThat(built).isEmpty();
    }

    @Test
    void honoursAnExplicitChoiceAndBuildsOnlyThatBackend() throws IOException {
        Files.createDirectories(root.resolve("proc/xen"));
        Hypervisor hypervisor = factory("xl", "qemu", "sim").create(Optional.of("sim"));
        assertThat(hypervisor.backendName()).isEqualTo("sim");
        assertThat(built).containsExactly("sim");
    }

    @Test
    void rejectsUnknownAndUnregisteredBackendsNamingTheOption() {
        assertThatThrownBy(() -> factory("xl", "sim").select(Optional.of("kvm")))
            .hasMessage("--hypervisor=kvm is not a backend; use one of xl, qemu, sim");
        assertThatThrownBy(() -> factory("xl", "sim").select(Optional.of("qemu")))
            .hasMessageContaining("backend qemu").hasMessageContaining("not available in this build")
            .hasMessageContaining("available: sim, xl").hasMessageContaining("--hypervisor");
    }

    @Test
    void wiresTheRealSimulator() {
        HypervisorFactory factory = new HypervisorFactory(
            Map.of("sim", () -> SimulatedHypervisor.builder().seed(3).build()), new HostProbe(root, List.of()));
        assertThat(factory.create(Optional.of("sim")).backendName()).isEqualTo("sim");
    }

    private Path executable(String name) throws IOException {
        Path file = bin.resolve(name);
        Files.writeString(file, "#!/bin/sh\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    /** The simulator under another backend's name: the factory only picks, and never calls, a backend. */
    private static Hypervisor named(String name) {
        return new ForwardingHypervisor(SimulatedHypervisor.builder().build()) {
            @Override
            public String backendName() {
                return name;
            }
        };
    }
}
