package io.domainoperator.device;

import io.domainoperator.api.v1alpha1.AdapterType;

/** PCI class codes (PCI SIG "PCI Code and ID Assignment") mapped to EVE's adapter types. */
final class PciClass {
    private PciClass() {
    }

    static AdapterType adapterType(int classCode) {
        int subclass = (classCode >> 8) & 0xffff;
        return switch (subclass) {
            case 0x0200 -> AdapterType.NetEth;
            // 0x0280 "other network" is what Intel, Atheros and Realtek Wi-Fi cards report.
            case 0x0280, 0x0d20, 0x0d21 -> AdapterType.NetWLAN;
            case 0x0d40, 0x0d41 -> AdapterType.NetWWAN;
            case 0x0c03 -> (classCode & 0xff) == 0xfe ? AdapterType.USBDevice : AdapterType.USBController;
            case 0x0108 -> AdapterType.NVMEStorage;
            case 0x0106 -> AdapterType.SATAStorage;
            case 0x0300, 0x0301, 0x0302, 0x0380 -> AdapterType.HDMI;
            case 0x0401, 0x0403 -> AdapterType.Audio;
            case 0x0700, 0x0702 -> AdapterType.Com;
            default -> AdapterType.Other;
        };
    }

    /** PCI bridges stay with the host: VFIO and pciback accept a group whose bridges keep pcieport. */
    static boolean isBridge(int classCode) {
        return (classCode >> 16) == 0x06;
    }

    /**
     * Chipset plumbing not worth publishing as an adapter (memory controllers, bridges, IOMMUs, DMA and
     * interrupt controllers, processors). It is still scanned, because it may share an IOMMU group.
     */
    static boolean isPublished(int classCode) {
        int base = classCode >> 16;
        return base != 0x05 && base != 0x06 && base != 0x08 && base != 0x0b;
    }
}
