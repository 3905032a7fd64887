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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The QEMU backend against real QEMU processes and a real Linux guest (TCG on machines where KVM does not work,
 * so time bounds are generous: the machine is shared and emulation is slow).
 */
class QemuHypervisorIT {
    private static final Duration BOOT = Duration.ofMinutes(3);
    private static final Duration STEP = Duration.ofSeconds(60);

    @TempDir
    Path stateDir;
    @TempDir
    Path images;

    private QemuOptions options;
    private QemuHypervisor hypervisor;

    @BeforeEach
    void start() {
        TestGuest.assumeQemu();
        options = QemuOptions.defaults(stateDir).withVifNetworking(VifNetworking.USER);
        hypervisor = new QemuHypervisor(options, new ProcessCommandRunner());
    }

    @AfterEach
    void cleanUp() {
        if (hypervisor != null) {
            hypervisor.listDomains().forEach(d -> hypervisor.destroy(d.name()));
            hypervisor.close();
        }
    }

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

        DomainInfo created = hypervisor.createPaused(linux);
        assertThat(created.state().paused()).as("created paused: %s", created).isTrue();
        assertThat(created.ours()).isTrue();
        assertThat(created.uuid()).isEqualTo(linux.uuid());
        assertThat(created.vcpus()).isEqualTo(1);
        assertThat(created.memoryBytes()).isEqualTo(128L << 20);
        assertThat(created.maxMemoryBytes()).isEqualTo(256L << 20);
        assertThat(created.looksHalfCreated()).as("paused before any vCPU ran").isTrue();

        hypervisor.unpause("life");
        AtomicLong firstCpu = new AtomicLong();
        await("vCPU time after unpause").atMost(STEP).untilAsserted(() -> {
            DomainInfo info = only();
            assertThat(info.state().isAlive()).as("running: %s", info.state()).isTrue();
            assertThat(info.cpuTimeNanos()).isPositive();
            firstCpu.set(info.cpuTimeNanos());
        });
        await("guest booted (console marker)").atMost(BOOT).pollInterval(Duration.ofMillis(500))
            .until(() -> console(hypervisor, "life").contains(TestGuest.READY_MARKER));
        assertThat(console(hypervisor, "life")).contains("disks: vda vdb").contains("nics: eth0 lo");
        await("vCPU time grows while the guest runs").atMost(STEP)
            .until(() -> only().cpuTimeNanos() > firstCpu.get());

        hypervisor.pause("life");
        await("paused").atMost(STEP).until(() -> only().state().paused());
        assertThat(only().looksHalfCreated()).as("paused with vCPU time is not half-created").isFalse();
        hypervisor.unpause("life");
        await("resumed").atMost(STEP).until(() -> only().state().isAlive());

        hypervisor.requestShutdown("life");
        await("guest powered off by the ACPI power button").atMost(STEP).untilAsserted(() -> {
            DomainInfo info = only();
            assertThat(info.state().shutdown()).as("shut down: %s", info.state()).isTrue();
            assertThat(info.state().shutdownReason()).isEqualTo(ShutdownReason.POWEROFF);
        });
        assertThat(console(hypervisor, "life")).contains(TestGuest.POWEROFF_MARKER);
        Path socket = stateDir.resolve("qemu/life/qmp.sock");
        assertThat(processesMentioning(socket)).as("the stopped domain keeps its QEMU until destroyed").hasSize(1);

        hypervisor.destroy("life");
        assertThat(hypervisor.listDomains()).isEmpty();
        assertThat(stateDir.resolve("qemu/life")).doesNotExist();
        assertThat(processesMentioning(socket)).isEmpty();
        assertThat(List.of(vda, vdb, sda, hdc)).as("destroy never touches the guest's disks").allMatch(Files::exists);
        hypervisor.destroy("life");
    }

    @Test
    void guestWithoutOsIgnoresThePowerButtonAndIsDestroyedByForce() {
        hypervisor.createPaused(TestGuest.noOs("no-os"));
        hypervisor.unpause("no-os");
        await("running").atMost(STEP).until(() -> only().state().isAlive());

        hypervisor.requestShutdown("no-os");
        await("still running after the power button").during(Duration.ofSeconds(5)).atMost(STEP)
            .until(() -> only().state().isAlive());

        Path socket = stateDir.resolve("qemu/no-os/qmp.sock");
        assertThat(processesMentioning(socket)).hasSize(1);
        hypervisor.destroy("no-os");
        assertThat(hypervisor.listDomains()).isEmpty();
        assertThat(processesMentioning(socket)).isEmpty();
        assertThat(stateDir.resolve("qemu/no-os")).doesNotExist();
    }

    @Test
    void restartedAgentReattachesToItsQemuAndNeverStartsASecondOne() {
        Path guest = TestGuest.assumeGuest();
        DomainDefinition linux = TestGuest.linux("survivor", guest);
        int domainId = hypervisor.createPaused(linux).domainId();
        hypervisor.unpause("survivor");
        await("guest booted (console marker)").atMost(BOOT).pollInterval(Duration.ofMillis(500))
            .until(() -> console(hypervisor, "survivor").contains(TestGuest.READY_MARKER));
        Path socket = stateDir.resolve("qemu/survivor/qmp.sock");
        List<Long> pids = processesMentioning(socket);
        assertThat(pids).hasSize(1);

        hypervisor.close();
        hypervisor = null;
        assertThat(processesMentioning(socket)).as("QEMU outlives the agent").isEqualTo(pids);
        hypervisor = new QemuHypervisor(options, new ProcessCommandRunner());

        DomainInfo reattached = only();
        assertThat(reattached.name()).isEqualTo("survivor");
        assertThat(reattached.domainId()).isEqualTo(domainId);
        assertThat(reattached.uuid()).isEqualTo(linux.uuid());
        assertThat(reattached.state().isAlive()).as("running: %s", reattached.state()).isTrue();
        assertThat(reattached.cpuTimeNanos()).isPositive();
        assertThatThrownBy(() -> hypervisor.createPaused(linux))
            .isInstanceOf(HypervisorException.class).hasMessageContaining("already exists");
        assertThat(processesMentioning(socket)).as("no second QEMU for the same domain").isEqualTo(pids);

        hypervisor.requestShutdown("survivor");
        await("re-attached guest powered off").atMost(STEP)
            .until(() -> only().state().shutdownReason() == ShutdownReason.POWEROFF);
        hypervisor.destroy("survivor");
        assertThat(processesMentioning(socket)).isEmpty();
    }

    @Test
    void qemuKilledWhileTheAgentWasAwayIsReportedCrashedAndCleanedUpByDestroy() {
        hypervisor.createPaused(TestGuest.noOs("victim"));
        Path socket = stateDir.resolve("qemu/victim/qmp.sock");
        long pid = processesMentioning(socket).getFirst();
        hypervisor.close();
        hypervisor = null;
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        await("QEMU killed").atMost(STEP).until(() -> processesMentioning(socket).isEmpty());

        hypervisor = new QemuHypervisor(options, new ProcessCommandRunner());
        DomainInfo lost = only();
        assertThat(lost.state().crashed()).as("crashed: %s", lost.state()).isTrue();
        assertThat(lost.state().shutdownReason()).isEqualTo(ShutdownReason.CRASH);
        assertThatThrownBy(() -> hypervisor.unpause("victim")).isInstanceOf(HypervisorException.class)
            .hasMessageContaining("gone");

        hypervisor.destroy("victim");
        assertThat(hypervisor.listDomains()).isEmpty();
        assertThat(stateDir.resolve("qemu/victim")).doesNotExist();
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
        hypervisor.createPaused(rebooter);
        hypervisor.unpause("rebooter");
        await("guest booted (console marker)").atMost(BOOT).pollInterval(Duration.ofMillis(500))
            .until(() -> console(hypervisor, "rebooter").contains(TestGuest.READY_MARKER));

        hypervisor.requestShutdown("rebooter");
        await("guest rebooted").atMost(STEP).untilAsserted(() -> {
            DomainInfo info = only();
            assertThat(info.state().shutdown()).as("stopped: %s", info.state()).isTrue();
            assertThat(info.state().shutdownReason()).isEqualTo(ShutdownReason.REBOOT);
        });
        assertThat(console(hypervisor, "rebooter")).contains("power button pressed, rebooting");

        hypervisor.close();
        hypervisor = new QemuHypervisor(options, new ProcessCommandRunner());
        assertThat(only().state().shutdownReason()).as("the reason is kept across agent restarts")
            .isEqualTo(ShutdownReason.REBOOT);
        assertThatThrownBy(() -> hypervisor.unpause("rebooter")).isInstanceOf(HypervisorException.class)
            .hasMessageContaining("unpause rebooter");
        hypervisor.destroy("rebooter");
        assertThat(hypervisor.listDomains()).isEmpty();
    }

    @Test
    void aHungQemuIsReportedWithItsLastStateAndKilledByDestroy() throws Exception {
        hypervisor.close();
        options = new QemuOptions(stateDir, TestGuest.QEMU, options.accelerator(), VifNetworking.USER,
            Duration.ofSeconds(60), Duration.ofSeconds(2), Duration.ofSeconds(2), Path.of("/proc"), Path.of("/sys"));
        hypervisor = new QemuHypervisor(options, new ProcessCommandRunner());
        hypervisor.createPaused(TestGuest.noOs("hung"));
        hypervisor.unpause("hung");
        await("running").atMost(STEP).until(() -> only().state().isAlive());
        Path socket = stateDir.resolve("qemu/hung/qmp.sock");
        long pid = processesMentioning(socket).getFirst();
        assertThat(new ProcessBuilder("kill", "-STOP", Long.toString(pid)).start().waitFor()).isZero();

        assertThat(only().state().isAlive()).as("a QEMU that does not answer keeps its last known state").isTrue();
        hypervisor.destroy("hung");
        assertThat(processesMentioning(socket)).as("SIGKILL ends a stopped process").isEmpty();
        assertThat(stateDir.resolve("qemu/hung")).doesNotExist();
    }

    @Test
    void domainsCreatedConcurrentlyAreAllListedInOnePoll() throws Exception {
        int count = 6;
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<DomainInfo>> created = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                DomainDefinition definition = TestGuest.noOs("many-" + i);
                created.add(executor.submit(() -> hypervisor.createPaused(definition)));
            }
            for (var future : created) {
                assertThat(future.get().state().paused()).isTrue();
            }
        }
        List<DomainInfo> all = hypervisor.listDomains();
        assertThat(all).hasSize(count).allSatisfy(d -> assertThat(d.state().paused()).isTrue());
        assertThat(all).extracting(DomainInfo::domainId).doesNotHaveDuplicates().isSorted();

        int polls = 50;
        for (int i = 0; i < 10; i++) {
            hypervisor.listDomains();
        }
        long start = System.nanoTime();
        for (int i = 0; i < polls; i++) {
            hypervisor.listDomains();
        }
        long micros = (System.nanoTime() - start) / 1000 / polls;
        // A figure for the record, not an assertion: the machine is shared.
        System.out.printf("listDomains with %d QEMUs: %d us per poll (mean of %d)%n", count, micros, polls);
    }

    @Test
    void qemuRefusingTheDefinitionFailsTheCreateWithItsMessageAndLeavesNothing() {
        DomainDefinition broken = TestGuest.noOs("broken",
            spec -> spec.setKernel(stateDir.resolve("no-such-vmlinuz").toString()));
        assertThatThrownBy(() -> hypervisor.createPaused(broken)).isInstanceOf(HypervisorException.class)
            .hasMessageStartingWith("createPaused broken: starting QEMU failed, nothing is left running")
            .hasMessageContaining("no-such-vmlinuz");
        assertThat(stateDir.resolve("qemu/broken")).doesNotExist();
        assertThat(processesMentioning(stateDir.resolve("qemu/broken/qmp.sock"))).isEmpty();
        assertThat(hypervisor.listDomains()).isEmpty();
    }

    private Path rawImage(String name) throws IOException {
        Path image = images.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(8 * 1024 * 1024);
        }
        return image;
    }

    private DomainInfo only() {
        List<DomainInfo> all = hypervisor.listDomains();
        assertThat(all).hasSize(1);
        return all.getFirst();
    }

}
