package io.domainoperator.device;

import io.domainoperator.api.v1alpha1.AdapterType;

/**
 * One PCI function as sysfs shows it now.
 *
 * @param address    long form, e.g. {@code 0000:01:00.0}
 * @param classCode  the 24-bit class register (class, subclass, programming interface), e.g. 0x020000
 * @param vendor     vendor id, four lower-case hex digits
 * @param device     device id, four lower-case hex digits
 * @param driver     bound driver, or null when unbound
 * @param iommuGroup IOMMU group number, or null when the IOMMU is off
 * @param ifname     network interface name while a net driver holds it, else null
 * @param driverOverride the driver named in {@code driver_override}, or null when unset
 */
public record PciDevice(String address, int classCode, String vendor, String device, String driver,
                        Integer iommuGroup, String ifname, String driverOverride) {

    public AdapterType type() {
        return PciClass.adapterType(classCode);
    }

    public boolean isBridge() {
        return PciClass.isBridge(classCode);
    }

    public boolean boundTo(String driverName) {
        return driverName.equals(driver);
    }
}
