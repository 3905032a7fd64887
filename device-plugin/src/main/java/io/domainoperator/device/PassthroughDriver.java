package io.domainoperator.device;

import java.util.Objects;

/**
 * The kernel driver that holds devices for domains: Xen's PCI backend for the xl backend, vfio-pci for QEMU.
 *
 * @param name       the driver's name under {@code bus/pci/drivers/}
 * @param module     the module that provides it, loaded on demand with modprobe
 * @param wantsSlots pciback keeps its own list of devices it may claim ({@code new_slot}/{@code remove_slot});
 *                   kernels before driver_override support in pciback only bind devices in that list
 * @param needsIommuGroup vfio-pci refuses devices outside an IOMMU group; pciback does not, because under Xen
 *                   the hypervisor owns the IOMMU and dom0's sysfs shows no groups at all (then assignmentGroup
 *                   is what keeps functions of one card together)
 */
public record PassthroughDriver(String name, String module, boolean wantsSlots, boolean needsIommuGroup) {
    public static final PassthroughDriver PCIBACK = new PassthroughDriver("pciback", "xen-pciback", true, false);
    public static final PassthroughDriver VFIO_PCI = new PassthroughDriver("vfio-pci", "vfio-pci", false, true);

    public PassthroughDriver {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(module, "module");
    }

    /** The driver the given hypervisor backend ({@code Hypervisor.backendName()}) passes devices through with. */
    public static PassthroughDriver forBackend(String backendName) {
        return switch (backendName) {
            // The simulator stands for an xl node (its passthrough is the fake kernel's, in tests and demos).
            case "xl", "sim" -> PCIBACK;
            case "qemu" -> VFIO_PCI;
            default -> throw new IllegalArgumentException("backend '" + backendName
                + "' has no PCI passthrough driver; use xl (pciback) or qemu (vfio-pci)");
        };
    }
}
