package io.domainoperator.hypervisor;

import java.util.List;

/**
 * One disk as the guest sees it, with the image it reads on the node.
 *
 * @param path       the image after per-domain copies; empty for a CD-ROM drive with no disc
 * @param target     the device the guest sees (hdX, sdX, vdX, xvdX)
 * @param xenOptions xl disk parameters carried verbatim (the xl backend only)
 */
public record DiskDevice(String path, Format format, String target, boolean readOnly, boolean cdrom,
                         List<String> xenOptions) {
    /** Image formats, spelled as xl and QEMU spell them. */
    public enum Format {
        qcow2,
        raw
    }

    public DiskDevice {
        xenOptions = List.copyOf(xenOptions);
    }
}
