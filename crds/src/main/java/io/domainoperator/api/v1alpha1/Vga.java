package io.domainoperator.api.v1alpha1;

/** The emulated graphics card of an HVM guest (xl's {@code vga}/{@code stdvga}, QEMU's {@code -vga}). */
public enum Vga {
    /** Standard VGA with Bochs VBE extensions (xl's stdvga = 1, vga = "stdvga"). */
    std,
    /** Cirrus Logic GD5446, xl's default for qemu-xen. */
    cirrus,
    /** QXL paravirtual graphics. */
    qxl,
    /** No emulated graphics card. */
    none
}
