package io.domainoperator.api.v1alpha1;

/** Regular expressions shared by the schema annotations and {@link DomainConfigValidator}. */
public final class Patterns {
    /** Usable as an xl domain name and as a file name: no spaces, quotes, slashes or commas. */
    public static final String DOMAIN_NAME = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$";
    public static final String UUID = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";
    public static final String MAC = "^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$";
    /** Long-form PCI address, domain:bus:device.function, as sysfs names devices. */
    public static final String PCI_ADDRESS = "^[0-9a-f]{4}:[0-9a-f]{2}:[0-1][0-9a-f]\\.[0-7]$";
    /** USB bus and port path as sysfs names devices, e.g. 1-2 or 3-1.4. */
    public static final String USB_ADDRESS = "^[0-9]{1,3}-[0-9]{1,3}(\\.[0-9]{1,3}){0,6}$";
    /** USB vendor:product ids, e.g. 0781:5581. */
    public static final String USB_PRODUCT = "^[0-9a-fA-F]{4}:[0-9a-fA-F]{4}$";
    /** A Linux network interface name (at most 15 characters). */
    public static final String IFNAME = "^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$";
    /** An absolute path without commas, quotes, whitespace or control characters (they would break an xl disk spec). */
    public static final String ABSOLUTE_PATH = "^/[A-Za-z0-9._/+@=-]*$";
    public static final String DISK_TARGET = "^(xvd|hd|sd|vd)[a-z]{1,2}[0-9]{0,2}$";
    /** xl's boot order letters: c (disk), d (cdrom), n (network). */
    public static final String BOOT_ORDER = "^[cdn]{1,3}$";
    public static final String LISTEN_ADDRESS = "^[0-9A-Za-z.:-]{1,64}$";
    /** A Kubernetes object name (RFC 1123 subdomain). */
    public static final String OBJECT_NAME = "^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$";
    /**
     * Kernel command line: printable ASCII, no double quotes (xl cannot escape them). Its length limit is a
     * separate maxLength: Go's regexp, which the API server validates patterns with, caps repeat counts at 1000.
     */
    public static final String CMDLINE = "^[ -!#-~]*$";
    public static final int CMDLINE_MAX_LENGTH = 2048;
    /** libxlutil's identifiers: an xl key. */
    public static final String XL_KEY = "^[a-z_][a-z0-9_.]{0,63}$";
    /** A QEMU/xl NIC model, e.g. e1000, rtl8139, virtio-net-pci. */
    public static final String NIC_MODEL = "^[a-z0-9][a-z0-9_-]{0,31}$";
    /** A QEMU/xl keymap, e.g. en-us, de, fr-ch. */
    public static final String KEYMAP = "^[a-z]{2}(-[a-z]{2,3})?$";
    /** A viridian enlightenment group, optionally negated, e.g. base, !hcall_ipi. */
    public static final String VIRIDIAN_GROUP = "^!?[a-z_]{1,32}$";

    private Patterns() {
    }
}
