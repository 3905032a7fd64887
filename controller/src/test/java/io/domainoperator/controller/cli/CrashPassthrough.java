package io.domainoperator.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.domainoperator.controller.crash.TestKernelSwitch;
import io.domainoperator.device.Machine;
import io.domainoperator.device.ReplayedKernel;
import io.domainoperator.device.RootedSysfs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The passthrough side of a crash scenario on the simulator: the domain asks for the fake machine's GPU (IOMMU
 * group 1, with its HDMI audio function), and the agent process applies the fake kernel's behaviour to its own
 * sysfs writes ({@link ReplayedKernel} behind the test-only {@link TestKernelSwitch}), so its state outlives a
 * SIGKILL as a real kernel's does. After convergence: no device left without a driver, the GPU's group with the
 * passthrough driver exactly while the domain runs and with its host drivers otherwise, and the device journal
 * holding nothing for a dead domain and no move in flight.
 */
final class CrashPassthrough {
    /** The GPU's PhysicalIOAdapter as standalone publishes it (node "standalone"). */
    static final String GPU_ADAPTER = "standalone-pci-0000-01-00.0";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Every device of the fake machine that has a driver at boot. */
    private static final List<String> DRIVEN = List.of(Machine.ROOT_PORT, Machine.GPU, Machine.GPU_AUDIO, Machine.XHCI,
        Machine.SATA, Machine.ETH0, Machine.ETH1, Machine.WLAN, Machine.SERIAL);

    private final Path sysfs;
    private final Path runDir;

    CrashPassthrough(Path dir) {
        this.sysfs = dir.resolve("sysfs");
        this.runDir = dir.resolve("run");
    }

    List<String> args() {
        return List.of("--device-passthrough", "--sysfs-root", sysfs.toString(), "--dom0-port", "eth0");
    }

    Map<String, String> env() {
        return Map.of(TestKernelSwitch.ENV, ReplayedKernel.class.getName());
    }

    /** The fake kernel's classes, for the agent's classpath beside the jar. */
    static List<Path> classpath() {
        return List.of(CliProcess.ROOT.resolve("device-plugin/target/test-classes"),
            CliProcess.ROOT.resolve("test-fixtures/target/classes"));
    }

    String manifestLines() {
        return "  adapters: [" + GPU_ADAPTER + "]\n";
    }

    /** The invariants once the domain reached its goal: running (holding the GPU) or not. */
    void assertConverged(boolean domainRuns) throws IOException {
        RootedSysfs files = new RootedSysfs(sysfs);
        for (String device : DRIVEN) {
            assertThat(files.linkName("bus/pci/devices/" + device + "/driver")).as("%s is not left unbound", device).isPresent();
        }
        String gpu = files.linkName("bus/pci/devices/" + Machine.GPU + "/driver").orElseThrow();
        String audio = files.linkName("bus/pci/devices/" + Machine.GPU_AUDIO + "/driver").orElseThrow();
        JsonNode journal = JSON.readTree(runDir.resolve("devices.json").toFile());
        assertThat(journal.path("pending").isNull() || journal.path("pending").isMissingNode())
            .as("no adapter move in flight: %s", journal).isTrue();
        if (domainRuns) {
            assertThat(List.of(gpu, audio)).as("the GPU's IOMMU group is passed through").containsOnly("pciback");
            assertThat(journal.path("holders").path(Machine.GPU).asText()).as("held by web: %s", journal).isEqualTo("default/web");
        } else {
            assertThat(List.of(gpu, audio)).as("the GPU's group is back with its host drivers")
                .containsExactly("nouveau", "snd_hda_intel");
            assertThat(journal.path("holders").toString()).as("no adapter held by the dead domain: %s", journal)
                .doesNotContain("default/web");
        }
    }

    boolean ready() {
        return Files.exists(runDir.resolve("devices.json"));
    }
}
