package io.domainoperator.api.v1alpha1;

/** Xen's guest types ({@code type = "hvm"|"pv"|"pvh"} in an xl file). */
public enum VirtualizationMode {
    /** Fully virtualized guest with emulated firmware; boots unmodified operating systems. */
    HVM,
    /** Paravirtualized guest: needs a Xen-aware kernel, booted directly. */
    PV,
    /** PV in an HVM container: a Xen-aware kernel without emulated devices. */
    PVH;

    /** The value of xl's {@code type} key. */
    public String xlType() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
