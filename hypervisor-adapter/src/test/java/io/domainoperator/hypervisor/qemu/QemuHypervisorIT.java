package io.domainoperator.hypervisor.qemu;

import static io.domainoperator.hypervisor.qemu.TestGuest.console;
import static io.domainoperator.hypervisor.qemu.TestGuest.processesMentioning;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.domainoperator.api.v1alpha1.Disk;
import io.domainoperator.api.v1alpha1.DiskFormat;
import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.api.v1alpha1.Vif;
import io.domainoperator.hypervisor.DomainDefinition;
import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.HypervisorException;
import io.domainoperator.hypervisor.ProcessCommandRunner;
import io.domainoperator.hypervisor.ShutdownReason;
import io.domainoperator.hypervisor.qemu.QemuOptions.VifNetworking;
import io.domainoperator.hypervisor.spec.DefinitionFromSpec;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The QEMU backend against real QEMU processes and a real Linux guest (TCG on machines where KVM does not work,
 * so time bounds are generous: the machine is shared and emulation is slow).
 */
class QemuHypervisorIT {
    private static final Duration BOOT = Duration.ofMinutes(3);
    private static final Duration STEP = Duration.ofSeconds(60);

    @RegisterExtension
    final QemuNode node = new QemuNode();
    @TempDir
    Path images;

    /** Also the agent restarting while the guest runs (once a test of its own: one TCG boot now serves both). */
    @Test
    void realGuestGoesThroughTheWholeLifecycle() throws IOException {
        Path guest = TestGuest.assumeGuest();
        TestGuest.assumeInstalled("qemu-img");
        DomainConfigSpec linuxSpec = TestGuest.linuxSpec("life", guest);
        // Disks on every bus (raw and qcow2, writable and read-only), a user-mode NIC and room for more vCPUs and
        // memory: QEMU must accept the whole mapping, and the guest reports the virtio disks and the NIC.
        Path vda = rawImage("vda.img");
        Path vdb = images.resolve("vdb.qcow2");
        new ProcessCommandRunner().run(List.of("qemu-img", "create", "-q", "-f", "qcow2", vdb.toString(), "16M"),
            Duration.ofSeconds(30));
        Path sda = rawImage("sda.img");
        Path hdc = rawImage("hdc.iso");
        Disk readOnlyQcow2 = new Disk(vdb.toString(), DiskFormat.qcow2, "vdb");
        readOnlyQcow2.setReadOnly(true);
        Disk cdrom = new Disk(hdc.toString(), DiskFormat.raw, "hdc");
        cdrom.setReadOnly(true);
        linuxSpec.setDisks(List.of(new Disk(vda.toString(), DiskFormat.raw, "vda"), readOnlyQcow2,
            new Disk(sda.toString(), DiskFormat.raw, "sda"), cdrom));
        linuxSpec.setVifs(List.of(new Vif("br0", null, null)));
        linuxSpec.setMaxVcpus(2);
        linuxSpec.setMaxMemoryMiB(256);
        DomainDefinition linux = DefinitionFromSpec.inPlace("life", UUID.randomUUID(), linuxSpec);

        DomainInfo created = node.backend().createPaused(linux);
        assertThat(created.state().paused()).as("created paused: %s", created).isTrue();
        assertThat(created.ours()).isTrue();
        assertThat(created.uuid()).isEqualTo(linux.uuid());
        assertThat(created.vcpus()).isEqualTo(1);
        assertThat(created.memoryBytes()).isEqualTo(128L << 20);
        assertThat(created.maxMemoryBytes()).isEqualTo(256L << 20);
        assertThat(created.looksHalfCreated()).as("paused before any vCPU ran").isTrue();

        node.backend().unpause("life");
        AtomicLong firstCpu = new AtomicLong();
        await("vCPU time after unpause").atMost(STEP).untilAsserted(() -> {
            DomainInfo info = only();
            assertThat(info.state().isAlive()).as("running: %s", info.state()).isTrue();
            assertThat(info.cpuTimeNanos()).isPositive();
            firstCpu.set(info.cpuTimeNanos());
        });
        await("guest booted (console marker)").atMost(BOOT).pollInterval(Duration.ofMillis(500))
            .until(() -> console(node.backend(), "life").contains(TestGuest.READY_MARKER));
        assertThat(console(node.backend(), "life")).contains("disks: vda vdb").contains("nics: eth0 lo");
        await("vCPU time grows while the guest runs").atMost(STEP)
            .until(() -> only().cpuTimeNanos() > firstCpu.get());

        // The agent restarts mid-life (one boot serves both, as TCG boots are slow): the new backend re-attaches to
        // the QEMU, which outlived the old one, and never starts a second one for the same domain.
        Path socket = node.stateDir().resolve("qemu/life/qmp.sock");
        List<Long> pids = processesMentioning(socket);
        assertThat(pids).hasSize(1);
        node.detach();
        assertThat(processesMentioning(socket)).as("QEMU outlives the agent").isEqualTo(pids);
        node.attach();
        DomainInfo reattached = only();
        assertThat(reattached.name()).isEqualTo("life");
        assertThat(reattached.domainId()).isEqualTo(created.domainId());
        assertThat(reattached.uuid()).isEqualTo(linux.uuid());
        assertThat(reattached.state().isAlive()).as("running: %s", reattached.state()).isTrue();
        assertThat(reattached.cpuTimeNanos()).isPositive();
        assertThatThrownBy(() -> node.backend().createPaused(linux))
            .isInstanceOf(HypervisorException.class).hasMessageContaining("already exists");
        assertThat(processesMentioning(socket)).as("no second QEMU for the same domain").isEqualTo(pids);

        node.backend().pause("life");
        await("paused").atMost(STEP).until(() -> only().state().paused());
        assertThat(only().looksHalfCreated()).as("paused with vCPU time is not half-created").isFalse();
        node.backend().unpause("life");
        await("resumed").atMost(STEP).until(() -> only().state().isAlive());

        node.backend().requestShutdown("life");
        await("guest powered off by the ACPI power button").atMost(STEP).untilAsserted(() -> {
            DomainInfo info = only();
            assertThat(info.state().shutdown()).as("shut down: %s", info.state()).isTrue();
            assertThat(info.state().shutdownReason()).isEqualTo(ShutdownReason.POWEROFF);
        });
        assertThat(console(node.backend(), "life")).contains(TestGuest.POWEROFF_MARKER);
        assertThat(processesMentioning(socket)).as("the stopped domain keeps its QEMU until destroyed").hasSize(1);

        node.backend().destroy("life");
        assertThat(node.backend().listDomains()).isEmpty();
        assertThat(node.stateDir().resolve("qemu/life")).doesNotExist();
        assertThat(processesMentioning(socket)).isEmpty();
        assertThat(List.of(vda, vdb, sda, hdc)).as("destroy never touches the guest's disks").allMatch(Files::exists);
        node.backend().destroy("life");
    }

    @Test
    void guestWithoutOsIgnoresThePowerButtonAndIsDestroyedByForce() {
        node.backend().createPaused(TestGuest.noOs("no-os"));
        node.backend().unpause("no-os");
        await("running").atMost(STEP).until(() -> only().state().isAlive());

        node.backend().requestShutdown("no-os");
        await("still running after the power button").during(Duration.ofSeconds(5)).atMost(STEP)
            .until(() -> only().state().isAlive());

        Path socket = node.stateDir().resolve("qemu/no-os/qmp.sock");
        assertThat(processesMentioning(socket)).hasSize(1);
        node.backend().destroy("no-os");
        assertThat(node.backend().listDomains()).isEmpty();
        assertThat(processesMentioning(socket)).isEmpty();
        assertThat(node.stateDir().resolve("qemu/no-os")).doesNotExist();
    }

    @Test
    void qemuKilledWhileTheAgentWasAwayIsReportedCrashedAndCleanedUpByDestroy() {
        node.backend().createPaused(TestGuest.noOs("victim"));
        Path socket = node.stateDir().resolve("qemu/victim/qmp.sock");
        long pid = processesMentioning(socket).getFirst();
        node.detach();
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        await("QEMU killed").atMost(STEP).until(() -> processesMentioning(socket).isEmpty());

        node.attach();
        DomainInfo lost = only();
        assertThat(lost.state().crashed()).as("crashed: %s", lost.state()).isTrue();
        assertThat(lost.state().shutdownReason()).isEqualTo(ShutdownReason.CRASH);
        assertThatThrownBy(() -> node.backend().unpause("victim")).isInstanceOf(HypervisorException.class)
            .hasMessageContaining("gone");

        node.backend().destroy("victim");
        assertThat(node.backend().listDomains()).isEmpty();
        assertThat(node.stateDir().resolve("qemu/victim")).doesNotExist();
    }

    @Test
    void guestRebootIsAStoppedDomainWithReasonRebootAlsoAfterAnAgentRestart() {
        Path guest = TestGuest.assumeGuest();
        DomainDefinition rebooter = TestGuest.linux("rebooter", guest,
            spec -> {
                spec.setCmdline(spec.getCmdline() + " guest.power-button=reboot");
                // Restart (the default) is QEMU's own reset; any other policy keeps the stopped domain (GuestStopActions).
                spec.setOnReboot(io.domainoperator.api.v1alpha1.LifecyclePolicy.Preserve);
            });
        node.backend().createPaused(rebooter);
        node.backend().unpause("rebooter");
        await("guest booted (console marker)").atMost(BOOT).pollInterval(Duration.ofMillis(500))
            .until(() -> console(node.backend(), "rebooter").contains(TestGuest.READY_MARKER));

        node.backend().requestShutdown("rebooter");
        await("guest rebooted").atMost(STEP).untilAsserted(() -> {
            DomainInfo info = only();
            assertThat(info.state().shutdown()).as("stopped: %s", info.state()).isTrue();
            assertThat(info.state().shutdownReason()).isEqualTo(ShutdownReason.REBOOT);
        });
        assertThat(console(node.backend(), "rebooter")).contains("power button pressed, rebooting");

        node.restart();
        assertThat(only().state().shutdownReason()).as("the reason is kept across agent restarts")
            .isEqualTo(ShutdownReason.REBOOT);
        assertThatThrownBy(() -> node.backend().unpause("rebooter")).isInstanceOf(HypervisorException.class)
            .hasMessageContaining("unpause rebooter");
        node.backend().destroy("rebooter");
        assertThat(node.backend().listDomains()).isEmpty();
    }

    @Test
    void aHungQemuIsReportedWithItsLastStateAndKilledByDestroy() throws Exception {
        node.detach();
        node.attach(options -> new QemuOptions(node.stateDir(), TestGuest.QEMU, options.accelerator(), VifNetworking.USER,
            Duration.ofSeconds(60), Duration.ofSeconds(2), Duration.ofSeconds(2), Path.of("/proc"), Path.of("/sys")));
        node.backend().createPaused(TestGuest.noOs("hung"));
        node.backend().unpause("hung");
        await("running").atMost(STEP).until(() -> only().state().isAlive());
        Path socket = node.stateDir().resolve("qemu/hung/qmp.sock");
        long pid = processesMentioning(socket).getFirst();
        assertThat(new ProcessBuilder("kill", "-STOP", Long.toString(pid)).start().waitFor()).isZero();

        assertThat(only().state().isAlive()).as("a QEMU that does not answer keeps its last known state").isTrue();
        node.backend().destroy("hung");
        assertThat(processesMentioning(socket)).as("SIGKILL ends a stopped process").isEmpty();
        assertThat(node.stateDir().resolve("qemu/hung")).doesNotExist();
    }

    @Test
    void domainsCreatedConcurrentlyAreAllListedInOnePoll() throws Exception {
        int count = 6;
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<DomainInfo>> created = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                DomainDefinition definition = TestGuest.noOs("many-" + i);
                created.add(executor.submit(() -> node.backend().createPaused(definition)));
            }
            for (var future : created) {
                assertThat(future.get().state().paused()).isTrue();
            }
        }
        List<DomainInfo> all = node.backend().listDomains();
        assertThat(all).hasSize(count).allSatisfy(d -> assertThat(d.state().paused()).isTrue());
        assertThat(all).extracting(DomainInfo::domainId).doesNotHaveDuplicates().isSorted();

        int polls = 50;
        for (int i = 0; i < 10; i++) {
            node.backend().listDomains();
        }
        long start = System.nanoTime();
        for (int i = 0; i < polls; i++) {
            node.backend().listDomains();
        }
        long micros = (System.nanoTime() - start) / 1000 / polls;
        // A figure for the record, not an assertion: the machine is shared.
        System.out.printf("listDomains with %d QEMUs: %d us per poll (mean of %d)%n", count, micros, polls);
    }

    @Test
    void qemuRefusingTheDefinitionFailsTheCreateWithItsMessageAndLeavesNothing() {
        DomainDefinition broken = TestGuest.noOs("broken",
            spec -> spec.setKernel(node.stateDir().resolve("no-such-vmlinuz").toString()));
        assertThatThrownBy(() -> node.backend().createPaused(broken)).isInstanceOf(HypervisorException.class)
            .hasMessageStartingWith("createPaused broken: starting QEMU failed, nothing is left running")
            .hasMessageContaining("no-such-vmlinuz");
        assertThat(node.stateDir().resolve("qemu/broken")).doesNotExist();
        assertThat(processesMentioning(node.stateDir().resolve("qemu/broken/qmp.sock"))).isEmpty();
        assertThat(node.backend().listDomains()).isEmpty();
    }

    private Path rawImage(String name) throws IOException {
        Path image = images.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(8 * 1024 * 1024);
        }
        return image;
    }

    private DomainInfo only() {
        List<DomainInfo> all = node.backend().listDomains();
        assertThat(all).hasSize(1);
        return all.getFirst();
    }

}
