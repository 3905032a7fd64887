package io.domainoperator.hypervisor;

/**
 * A PCI function passed through, already bound to pciback or vfio-pci.
 *
 * @param adapter the PhysicalIOAdapter it belongs to, for the Xen options and messages; null when unknown
 * @param address the long-form address sysfs uses, e.g. 0000:07:00.0
 */
public record PciDevice(String adapter, String address) {
}
