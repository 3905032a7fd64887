package io.domainoperator.controller.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.domainoperator.device.HostKernel;
import io.domainoperator.device.Machine;
import io.domainoperator.device.ReplayedKernel;
import io.domainoperator.device.RootedSysfs;
import io.domainoperator.hypervisor.ProcessCommandRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestKernelSwitchTest {
    @TempDir
    Path dir;

    @Test
    void unsetItIsTheRealKernelBelowTheRoot() {
        HostKernel k = TestKernelSwitch.open(null, dir, new ProcessCommandRunner());
        assertThat(k.sysfs()).isInstanceOf(RootedSysfs.class);
        assertThat(((RootedSysfs) k.sysfs()).root()).isEqualTo(dir);
    }

    @Test
    void aNameThatIsNoStandInStopsWithTheVariablesName() {
        assertThatThrownBy(() -> TestKernelSwitch.open("java.lang.String", dir, new ProcessCommandRunner()))
            .hasMessageContaining(TestKernelSwitch.ENV).hasMessageContaining("test-only switch; unset it");
        assertThatThrownBy(() -> TestKernelSwitch.open("no.such.Kernel", dir, new ProcessCommandRunner()))
            .hasMessageContaining("names no class");
    }

    @Test
    void theReplayedKernelKeepsItsStateFromOneProcessToTheNext() {
        Path root = dir.resolve("sysfs");
        HostKernel first = TestKernelSwitch.open(ReplayedKernel.class.getName(), root, new ProcessCommandRunner());
        first.modules().runAllowingFailure(List.of("modprobe", "xen-pciback"), Duration.ofSeconds(1));
        first.sysfs().write("bus/pci/devices/" + Machine.GPU + "/driver_override", "pciback");
        first.sysfs().write("bus/pci/drivers/nouveau/unbind", Machine.GPU);
        first.sysfs().write("bus/pci/drivers_probe", Machine.GPU);
        assertThat(first.sysfs().linkName("bus/pci/devices/" + Machine.GPU + "/driver")).contains("pciback");

        // the next agent process: the machine is rebuilt from its boot state and the log
        HostKernel next = TestKernelSwitch.open(ReplayedKernel.class.getName(), root, new ProcessCommandRunner());
        assertThat(next.sysfs().linkName("bus/pci/devices/" + Machine.GPU + "/driver")).contains("pciback");
        assertThat(new RootedSysfs(root).linkName("bus/pci/devices/" + Machine.GPU + "/driver")).contains("pciback");
        assertThat(new RootedSysfs(root).linkName("bus/pci/devices/" + Machine.ETH0 + "/driver")).contains("igb");
    }
}
