package io.domainoperator.hypervisor;

/** How the guest is virtualized, in Xen's terms; the QEMU backend boots PV and PVH guests from their kernel. */
public enum GuestType {
    HVM,
    PV,
    PVH
}
