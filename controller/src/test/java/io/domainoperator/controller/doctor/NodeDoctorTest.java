package io.domainoperator.controller.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.hypervisor.HostProbe;
import io.domainoperator.hypervisor.qemu.AcceleratorProbe;
import io.domainoperator.hypervisor.qemu.QemuOptions.Accelerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checks against a host built in a temp directory: what passes on a well-prepared host, and each failure's fix. */
class NodeDoctorTest {
    @TempDir
    Path root;
    private Path sys;
    private Path bin;
    private Path state;

    @BeforeEach
    void host() throws IOException {
        sys = Files.createDirectories(root.resolve("sys"));
        bin = Files.createDirectories(root.resolve("bin"));
        state = Files.createDirectory(root.resolve("state"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    private void executable(String name) throws IOException {
        Path p = Files.writeString(bin.resolve(name), "#!/bin/sh\n");
        p.toFile().setExecutable(true);
    }

    private Map<String, HostCheck> check(String backend, Set<String> bridges, boolean passthrough, Accelerator kvm) {
        NodeDoctor doctor = new NodeDoctor(new HostProbe(root, List.of(bin)), sys,
            qemu -> new AcceleratorProbe.Verdict(kvm, kvm == Accelerator.KVM ? "a probe guest ran under it" : "failed"),
            System.getProperty("user.name"));
        return doctor.check(NodeRequirements.of(backend, bridges, passthrough, state, root.resolve("img"))).stream()
            .collect(Collectors.toMap(HostCheck::name, Function.identity()));
    }

    @Test
    void aPreparedXenHostPassesEveryCheck() throws IOException {
        Files.createDirectories(root.resolve("proc/xen"));
        Files.writeString(Files.createDirectories(root.resolve("proc/412")).resolve("comm"), "oxenstored\n");
        executable("xl");
        Files.createDirectories(sys.resolve("bus/pci/drivers/pciback"));
        Files.createDirectories(sys.resolve("kernel/iommu_groups/0"));
        Files.createDirectories(sys.resolve("class/net/br0/bridge"));

        Map<String, HostCheck> checks = check(null, Set.of("br0"), true, Accelerator.KVM);

        assertThat(checks.get("backend").detail()).startsWith("xl (auto-detected");
        assertThat(checks).containsKeys("xen hypervisor", "xl command", "xenstored", "pciback driver", "iommu", "bridge br0",
            "state dir " + state);
        assertThat(checks.values()).allSatisfy(c -> assertThat(c.failed()).as("%s", c).isFalse());
    }

    @Test
    void xenWithoutItsDaemonOrDriverFails() throws IOException {
        Files.createDirectories(root.resolve("proc/xen"));
        executable("xl");
        Files.createDirectories(sys.resolve("kernel/iommu_groups"));
        Files.createDirectories(sys.resolve("class/net/eth0"));

        Map<String, HostCheck> checks = check("xl", Set.of("eth0"), true, Accelerator.KVM);

        assertThat(checks.get("xenstored").detail()).contains("systemctl start xenstored");
        assertThat(checks.get("pciback driver").detail()).contains("modprobe xen-pciback");
        assertThat(checks.get("iommu").detail()).contains("intel_iommu=on");
        assertThat(checks.get("bridge eth0").detail()).startsWith("eth0 exists but is not a bridge");
        assertThat(List.of("xenstored", "pciback driver", "iommu", "bridge eth0")).allSatisfy(n -> assertThat(checks.get(n).failed()).isTrue());
    }

    @Test
    void kvmThatDoesNotWorkIsAWarningNamingTcg() throws IOException {
        executable("qemu-system-x86_64");
        Files.createDirectories(root.resolve("dev"));
        Files.writeString(root.resolve("dev/kvm"), "");

        HostCheck kvm = check("qemu", Set.of(), false, Accelerator.TCG).get("kvm");

        assertThat(kvm.status()).isEqualTo(HostCheck.Status.WARN);
        assertThat(kvm.detail()).contains("KVM does not work here").contains("TCG");
        assertThat(check("qemu", Set.of(), false, Accelerator.KVM).get("kvm").status()).isEqualTo(HostCheck.Status.OK);
    }

    @Test
    void theSimulatorNeedsNoBridgesAndStorageProblemsDoNotBlockTheAgent() throws IOException {
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxr-x---"));

        Map<String, HostCheck> checks = check("sim", Set.of("br0"), false, Accelerator.KVM);

        assertThat(checks).doesNotContainKey("bridge br0");
        HostCheck stateDir = checks.get("state dir " + state);
        assertThat(stateDir.failed()).isTrue();
        assertThat(stateDir.detail()).contains("mode rwxr-x---").contains("chmod 0700");
        assertThat(NodeDoctor.blocksAgent(stateDir)).isFalse();
        assertThat(NodeDoctor.blocksAgent(HostCheck.fail("xenstored", "absent"))).isTrue();
    }

    @Test
    void aMultiLineDetailStaysOnOneRow() {
        assertThat(HostCheck.warn("kvm", "error one\n  error two\n").detail()).isEqualTo("error one / error two");
    }
}
