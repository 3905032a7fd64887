package io.domainoperator.device;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * A realistic small EVE box: two igb NICs (eth0 is dom0's management port), an Intel Wi-Fi card, an xHCI
 * controller with a USB stick and a keyboard (sharing IOMMU group 5 with the PCH's unbound shared SRAM), an
 * NVIDIA GPU and its HDMI audio function in IOMMU group 1 behind a PCIe root port, an AHCI controller with the
 * host's disk, and a 16550 serial card.
 */
final class Machine {
    static final String HOST_BRIDGE = "0000:00:00.0";
    static final String ROOT_PORT = "0000:00:01.0";
    static final String XHCI = "0000:00:14.0";
    static final String SRAM = "0000:00:14.2";
    static final String SATA = "0000:00:17.0";
    static final String GPU = "0000:01:00.0";
    static final String GPU_AUDIO = "0000:01:00.1";
    static final String ETH0 = "0000:02:00.0";
    static final String ETH1 = "0000:03:00.0";
    static final String WLAN = "0000:04:00.0";
    static final String SERIAL = "0000:05:00.0";
    static final Set<String> MANAGEMENT_PORTS = Set.of("eth0");

    private Machine() {
    }

    /** The machine as it boots: host drivers bound, pciback loadable but not loaded. */
    static FakeSysfs boot(Path root) {
        FakeSysfs k = new FakeSysfs(root)
            .module("igb", List.of("igb"), List.of())
            .module("iwlwifi", List.of("iwlwifi"), List.of())
            .module("nouveau", List.of("nouveau"), List.of())
            .module("snd_hda_intel", List.of("snd_hda_intel"), List.of())
            .module("ahci", List.of("ahci"), List.of())
            .module("xhci_hcd", List.of(), List.of())
            .module("xhci_pci", List.of("xhci_hcd"), List.of("xhci_hcd"))
            .module("ehci_hcd", List.of(), List.of())
            .module("ehci_pci", List.of("ehci-pci"), List.of("ehci_hcd"))
            .module("ohci_hcd", List.of(), List.of())
            .module("ohci_pci", List.of("ohci-pci"), List.of("ohci_hcd"))
            .module("uhci_hcd", List.of("uhci_hcd"), List.of())
            .module("usbhid", List.of(), List.of())
            .module("usb_storage", List.of(), List.of())
            .module("xen-pciback", List.of("pciback"), List.of())
            .module("vfio-pci", List.of("vfio-pci"), List.of())
            .builtin("pcieport")
            .builtin("serial");
        for (String m : List.of("igb", "iwlwifi", "nouveau", "snd_hda_intel", "ahci", "xhci_pci", "ehci_pci",
            "usbhid", "usb_storage")) {
            k.loadModule(m);
        }
        return k
            .pci(HOST_BRIDGE, 0x060000, "8086", "3e30", 0, null)
            .pci(ROOT_PORT, 0x060400, "8086", "1901", 1, "pcieport")
            .pci(GPU, 0x030000, "10de", "1c82", 1, "nouveau")
            .pci(GPU_AUDIO, 0x040300, "10de", "0fb9", 1, "snd_hda_intel")
            .pci(XHCI, 0x0c0330, "8086", "a36d", 5, "xhci_hcd", null, List.of(
                new FakeSysfs.UsbChild("1-2", "0781", "5581", "Ultra"),
                new FakeSysfs.UsbChild("1-3", "046d", "c31c", "USB Keyboard")))
            .pci(SRAM, 0x050000, "8086", "a36f", 5, null)
            .pci(SATA, 0x010601, "8086", "a352", 7, "ahci")
            .pci(ETH0, 0x020000, "8086", "1533", 2, "igb", "eth0", List.of())
            .pci(ETH1, 0x020000, "8086", "1533", 3, "igb", "eth1", List.of())
            .pci(WLAN, 0x028000, "8086", "2723", 4, "iwlwifi", "wlan0", List.of())
            .pci(SERIAL, 0x070002, "1415", "c158", 6, "serial");
    }
}
