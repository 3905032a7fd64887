package io.domainoperator.device;

import java.util.List;
import java.util.Optional;

/** What one sysfs scan found. Bridges are kept: they share IOMMU groups but never move. */
public record HostDevices(List<PciDevice> pci, List<UsbDevice> usb) {
    public HostDevices {
        pci = List.copyOf(pci);
        usb = List.copyOf(usb);
    }

    public Optional<PciDevice> pci(String address) {
        return pci.stream().filter(d -> d.address().equals(address)).findFirst();
    }

    /** Every non-bridge function in the IOMMU group of the given one (itself included), in address order. */
    public List<PciDevice> iommuPeers(PciDevice d) {
        if (d.iommuGroup() == null) {
            return List.of(d);
        }
        return pci.stream().filter(p -> d.iommuGroup().equals(p.iommuGroup()) && !p.isBridge()).toList();
    }
}
