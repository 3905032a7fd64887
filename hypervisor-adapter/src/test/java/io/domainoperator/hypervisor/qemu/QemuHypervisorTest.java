package io.domainoperator.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.domainoperator.api.v1alpha1.Vif;
import io.domainoperator.hypervisor.DomainDefinition;
import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.HostInfo;
import io.domainoperator.hypervisor.HypervisorException;
import io.domainoperator.hypervisor.ProcessCommandRunner;
import io.domainoperator.hypervisor.ShutdownReason;
import io.domainoperator.hypervisor.qemu.QemuOptions.Accelerator;
import io.domainoperator.hypervisor.qemu.QemuOptions.VifNetworking;
import io.domainoperator.hypervisor.spec.DefinitionFromSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backend's bookkeeping, without QEMU: state directory, refusals, re-attach of what is on disk. */
class QemuHypervisorTest {
    @TempDir
    Path stateDir;
    @TempDir
    Path sys;

    private QemuOptions options;
    private QemuHypervisor hypervisor;

    @BeforeEach
    void start() {
        options = new QemuOptions(stateDir, "qemu-system-x86_64", Accelerator.TCG, VifNetworking.BRIDGE,
            Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofSeconds(2),
            Path.of("/proc"), sys);
        hypervisor = new QemuHypervisor(options, new ProcessCommandRunner());
    }

    @AfterEach
    void stop() {
        hypervisor.close();
    }

    @Test
    void oneAgentPerStateDirectory() {
        assertThatThrownBy(() -> new QemuHypervisor(options, new ProcessCommandRunner()))
            .isInstanceOf(HypervisorException.class).hasMessageContaining("another agent uses this state directory");
        hypervisor.close();
        new QemuHypervisor(options, new ProcessCommandRunner()).close();
        hypervisor = new QemuHypervisor(options, new ProcessCommandRunner());
    }

    @Test
    void nothingCreatedNothingListedAndDestroyIsIdempotent() {
        assertThat(hypervisor.listDomains()).isEmpty();
        hypervisor.destroy("never-was");
        assertThat(hypervisor.backendName()).isEqualTo("qemu");
    }

    @Test
    void hostInfoComesFromProc() {
        HostInfo host = hypervisor.hostInfo();
        assertThat(host.cpus()).isPositive();
        assertThat(host.totalMemoryBytes()).isGreaterThanOrEqualTo(host.freeMemoryBytes());
        assertThat(host.freeMemoryBytes()).isPositive();
        assertThat(host.cpuTimeNanos()).isPositive();
    }

    @Test
    void findsTheEmulatorOnPathOrByAbsolutePath() {
        assertThat(QemuHypervisor.isInstalled("sh")).isTrue();
        assertThat(QemuHypervisor.isInstalled("/bin/sh")).isTrue();
        assertThat(QemuHypervisor.isInstalled("no-such-qemu-system-x86_64")).isFalse();
        assertThat(QemuHypervisor.isInstalled("/nonexistent/qemu")).isFalse();
    }

    @Test
    void actingOnAnUnknownDomainIsRefused() {
        assertThatThrownBy(() -> hypervisor.unpause("ghost")).isInstanceOf(HypervisorException.class)
            .hasMessage("unpause ghost: no such domain of this QEMU backend");
        assertThatThrownBy(() -> hypervisor.requestShutdown("ghost")).hasMessageContaining("requestShutdown ghost");
    }

    @Test
    void aMissingBridgeFailsTheCreateNamingIt() {
        DomainDefinition definition = TestGuest.noOs("vm1", spec -> spec.setVifs(List.of(new Vif("bn7", null, null))));
        assertThatThrownBy(() -> hypervisor.createPaused(definition)).isInstanceOf(HypervisorException.class)
            .hasMessageContaining("bridge bn7 (spec.vifs) does not exist");
        assertThat(stateDir.resolve("qemu/vm1")).doesNotExist();
    }

    @Test
    void aQemuThatFailsToStartLeavesNothingBehindAndTheErrorCarriesItsStderr() throws IOException {
        Path fake = stateDir.resolve("fake-qemu");
        Files.writeString(fake, "#!/bin/sh\necho 'qemu-system-x86_64: -drive: Could not open disk' >&2\nexit 1\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        hypervisor.close();
        hypervisor = new QemuHypervisor(options.withQemuBinary(fake.toString()), new ProcessCommandRunner());

        assertThatThrownBy(() -> hypervisor.createPaused(TestGuest.noOs("vm1"))).isInstanceOf(HypervisorException.class)
            .hasMessageStartingWith("createPaused vm1: starting QEMU failed, nothing is left running")
            .hasMessageContaining("Could not open disk");
        assertThat(stateDir.resolve("qemu/vm1")).doesNotExist();
        assertThat(hypervisor.listDomains()).isEmpty();
    }

    @Test
    void badNamesAreRefusedBeforeAnythingIsWritten() {
        DomainDefinition definition = TestGuest.noOs("../etc");
        assertThatThrownBy(() -> hypervisor.createPaused(definition)).hasMessageContaining("spec.displayName");
    }

    @Test
    void aDomainOnDiskWhoseQemuIsGoneIsReportedCrashedAndDestroyCleansItUp() throws IOException {
        DomainDefinition definition = TestGuest.noOs("lost");
        DomainPaths paths = new DomainPaths(stateDir.resolve("qemu/lost"));
        Files.createDirectories(paths.dir());
        Files.writeString(paths.recordFile(), QmpClient.JSON.writeValueAsString(
            new DomainRecord(12, "TCG", List.of("qemu-system-x86_64"), definition)));
        Files.writeString(paths.pidFile(), Long.toString(ProcessHandle.current().pid()));
        hypervisor.close();
        hypervisor = new QemuHypervisor(options, new ProcessCommandRunner());

        List<DomainInfo> domains = hypervisor.listDomains();
        assertThat(domains).singleElement().satisfies(d -> {
            assertThat(d.name()).isEqualTo("lost");
            assertThat(d.domainId()).isEqualTo(12);
            assertThat(d.uuid()).isEqualTo(definition.uuid());
            assertThat(d.state().crashed()).as("our own pid is no QEMU of this domain").isTrue();
            assertThat(d.state().shutdownReason()).isEqualTo(ShutdownReason.CRASH);
            assertThat(d.ours()).isTrue();
        });
        assertThatThrownBy(() -> hypervisor.createPaused(definition)).hasMessageContaining("already exists");

        hypervisor.destroy("lost");
        assertThat(ProcessHandle.current().isAlive()).as("a pid that is not our QEMU is never killed").isTrue();
        assertThat(paths.dir()).doesNotExist();
        assertThat(hypervisor.listDomains()).isEmpty();
    }

    @Test
    void aRecordWrittenBeforeDefinitionsHadValuesOfTheirOwnIsStillReattached() throws IOException {
        // domain.json as agents wrote it while DomainDefinition carried the DomainConfig spec
        DomainPaths paths = new DomainPaths(stateDir.resolve("qemu/older"));
        Files.createDirectories(paths.dir());
        String uuid = "4a144db0-6b63-405a-b884-7760042023b1";
        Files.writeString(paths.recordFile(), """
            {"domainId": 41, "accelerator": "TCG", "argv": ["qemu-system-x86_64"],
             "definition": {"name": "older", "uuid": "%s", "diskPaths": ["/img/a.qcow2"], "pciAddresses": [],
              "spec": {"displayName": "older", "vcpus": 2, "memoryMiB": 128, "maxMemoryMiB": 256,
                       "disks": [{"source": "/img/a.qcow2", "target": "vda"}]}}}
            """.formatted(uuid));
        hypervisor.close();
        hypervisor = new QemuHypervisor(options, new ProcessCommandRunner());

        assertThat(hypervisor.listDomains()).singleElement().satisfies(d -> {
            assertThat(d.name()).isEqualTo("older");
            assertThat(d.domainId()).isEqualTo(41);
            assertThat(d.uuid()).isEqualTo(UUID.fromString(uuid));
            assertThat(d.vcpus()).isEqualTo(2);
            assertThat(d.memoryBytes()).isEqualTo(128L << 20);
            assertThat(d.maxMemoryBytes()).isEqualTo(256L << 20);
            assertThat(d.ours()).isTrue();
        });
        assertThat(paths.recordFile()).as("kept, not removed as leftovers").exists();
    }

    @Test
    void leftoversOfAnUnfinishedCreateAreRemovedAtStart() throws IOException {
        Files.createDirectories(stateDir.resolve("qemu/half"));
        Files.writeString(stateDir.resolve("qemu/half/domain.json"), "{\"domainId\": 3, \"trunc");
        hypervisor.close();
        hypervisor = new QemuHypervisor(options, new ProcessCommandRunner());
        assertThat(hypervisor.listDomains()).isEmpty();
        assertThat(stateDir.resolve("qemu/half")).doesNotExist();
    }

    @Test
    void domainIdsContinueAboveTheDomainsFoundOnDisk() throws IOException {
        DomainPaths paths = new DomainPaths(stateDir.resolve("qemu/old"));
        Files.createDirectories(paths.dir());
        Files.writeString(paths.recordFile(), QmpClient.JSON.writeValueAsString(
            new DomainRecord(30, "TCG", List.of(), DefinitionFromSpec.of("old", UUID.randomUUID(),
                TestGuest.spec("old"), List.of(), List.of()))));
        Files.deleteIfExists(stateDir.resolve("qemu/next-domain-id"));
        hypervisor.close();
        hypervisor = new QemuHypervisor(options, new ProcessCommandRunner());
        assertThat(new DomainIds(stateDir.resolve("qemu/next-domain-id")).next()).isEqualTo(31);
    }
}
