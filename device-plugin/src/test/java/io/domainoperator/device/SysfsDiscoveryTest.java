package io.domainoperator.device;

import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.api.v1alpha1.AdapterType;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SysfsDiscoveryTest {
    @TempDir
    Path dir;

    @Test
    void findsEveryPciFunctionWithItsClassIdsDriverGroupAndInterface() {
        HostDevices found = new SysfsDiscovery(Machine.boot(dir)).scan();

        assertThat(found.pci()).extracting(PciDevice::address).containsExactly(Machine.HOST_BRIDGE,
            Machine.ROOT_PORT, Machine.XHCI, Machine.SRAM, Machine.SATA, Machine.GPU, Machine.GPU_AUDIO,
            Machine.ETH0, Machine.ETH1, Machine.WLAN, Machine.SERIAL);
        assertThat(found.pci(Machine.ETH0)).contains(
            new PciDevice(Machine.ETH0, 0x020000, "8086", "1533", "igb", 2, "eth0", null));
        assertThat(found.pci(Machine.ETH1).orElseThrow().ifname()).isEqualTo("eth1");
        assertThat(found.pci(Machine.WLAN).orElseThrow().type()).isEqualTo(AdapterType.NetWLAN);
        assertThat(found.pci(Machine.GPU)).contains(
            new PciDevice(Machine.GPU, 0x030000, "10de", "1c82", "nouveau", 1, null, null));
        assertThat(found.pci(Machine.GPU_AUDIO).orElseThrow().type()).isEqualTo(AdapterType.Audio);
        assertThat(found.pci(Machine.XHCI).orElseThrow().type()).isEqualTo(AdapterType.USBController);
        assertThat(found.pci(Machine.SERIAL).orElseThrow().type()).isEqualTo(AdapterType.Com);
        assertThat(found.pci(Machine.SRAM).orElseThrow().driver()).isNull();
        assertThat(found.pci(Machine.HOST_BRIDGE).orElseThrow().iommuGroup()).isZero();
    }

    @Test
    void iommuPeersAreTheGroupWithoutItsBridges() {
        HostDevices found = new SysfsDiscovery(Machine.boot(dir)).scan();

        assertThat(found.iommuPeers(found.pci(Machine.GPU).orElseThrow())).extracting(PciDevice::address)
            .containsExactly(Machine.GPU, Machine.GPU_AUDIO);
        assertThat(found.iommuPeers(found.pci(Machine.XHCI).orElseThrow())).extracting(PciDevice::address)
            .containsExactly(Machine.XHCI, Machine.SRAM);
    }

    @Test
    void findsUsbDevicesByBusPortButNotRootHubsOrInterfaces() {
        HostDevices found = new SysfsDiscovery(Machine.boot(dir)).scan();

        assertThat(found.usb()).containsExactly(new UsbDevice("1-2", "0781", "5581", "Ultra"),
            new UsbDevice("1-3", "046d", "c31c", "USB Keyboard"));
        assertThat(new RootedSysfs(dir).list("bus/usb/devices")).contains("usb1", "1-2:1.0");
    }

    @Test
    void anEmptyRootIsAnEmptyMachine() {
        assertThat(new SysfsDiscovery(new RootedSysfs(dir)).scan()).isEqualTo(new HostDevices(java.util.List.of(), java.util.List.of()));
    }

    @ParameterizedTest(name = "class {0} is {1}")
    @CsvSource({
        "020000, NetEth", "028000, NetWLAN", "0d4000, NetWWAN", "0d2000, NetWLAN", "0c0330, USBController",
        "0c0320, USBController", "0c03fe, USBDevice", "010802, NVMEStorage", "010601, SATAStorage",
        "030000, HDMI", "038000, HDMI", "040300, Audio", "070002, Com", "0c0500, Other", "ff0000, Other"})
    void classCodesMapToEveTypes(String hex, AdapterType type) {
        assertThat(PciClass.adapterType(Integer.parseInt(hex, 16))).isEqualTo(type);
    }
}
