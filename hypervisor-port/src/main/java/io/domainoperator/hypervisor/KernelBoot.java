package io.domainoperator.hypervisor;

/**
 * How the guest boots: directly from a kernel on the node, or (HVM) from its disks in a boot order. Absent
 * values are null.
 *
 * @param cmdline   the kernel's command line
 * @param bootOrder HVM firmware's order of devices, letters c (disk), d (CD-ROM), n (network)
 */
public record KernelBoot(String kernel, String ramdisk, String cmdline, String bootOrder) {
    public static final KernelBoot NONE = new KernelBoot(null, null, null, null);
}
