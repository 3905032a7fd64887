package io.domainoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** One virtual disk. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class Disk {
    @Pattern(Patterns.ABSOLUTE_PATH)
    @JsonPropertyDescription("Absolute path of the disk image on the node, e.g. /persist/img/vyos.qcow2. No '..' segments, no commas, quotes or newlines. Required, except for an empty CD-ROM drive.")
    private String source;

    @JsonPropertyDescription("Image format: qcow2 or raw. Default qcow2.")
    private DiskFormat format;

    @Required
    @Pattern(Patterns.DISK_TARGET)
    @JsonPropertyDescription("Device name the guest sees, e.g. xvda, hda, sda or vda. Unique within the domain.")
    private String target;

    @JsonPropertyDescription("Attach read-only. Default false.")
    private Boolean readOnly;

    @JsonPropertyDescription("A CD-ROM drive (xl's devtype=cdrom or vdev hdX:cdrom) rather than a disk: read-only, the image an ISO. Default false.")
    private Boolean cdrom;

    @JsonPropertyDescription("Copy the image to a per-domain file under the node's image root before the first boot (EVE's /persist/img/<sha>-<uuid>.qcow2), so the source stays pristine. Default false.")
    private Boolean copyOnStart;

    @JsonPropertyDescription("xl disk parameters DomainConfig has no field for, each key=value or a bare flag as in xl-disk-configuration(5), e.g. backendtype=qdisk, discard or direct-io-safe; written back verbatim into this disk's spec by export-xl and the xl backend (import-xl fills it), not applied by the QEMU backend. At most 16, printable ASCII, no commas, quotes or brackets.")
    private java.util.List<String> xenOptions = new java.util.ArrayList<>();

    public Disk() {
    }

    public Disk(String source, DiskFormat format, String target) {
        this.source = source;
        this.format = format;
        this.target = target;
    }

    public String getSource() { return source; }
    public void setSource(String source) { this.source = source; }
    public DiskFormat getFormat() { return format; }
    public void setFormat(DiskFormat format) { this.format = format; }
    public String getTarget() { return target; }
    public void setTarget(String target) { this.target = target; }
    public Boolean getReadOnly() { return readOnly; }
    public void setReadOnly(Boolean readOnly) { this.readOnly = readOnly; }
    public Boolean getCdrom() { return cdrom; }
    public void setCdrom(Boolean cdrom) { this.cdrom = cdrom; }
    public Boolean getCopyOnStart() { return copyOnStart; }
    public void setCopyOnStart(Boolean copyOnStart) { this.copyOnStart = copyOnStart; }

    public java.util.List<String> getXenOptions() { return xenOptions; }
    public void setXenOptions(java.util.List<String> xenOptions) { this.xenOptions = xenOptions == null ? new java.util.ArrayList<>() : xenOptions; }

    public DiskFormat formatOrDefault() { return format == null ? DiskFormat.qcow2 : format; }
    public boolean readOnlyOrDefault() { return Boolean.TRUE.equals(readOnly); }
    public boolean cdromOrDefault() { return Boolean.TRUE.equals(cdrom); }
    public boolean copyOnStartOrDefault() { return Boolean.TRUE.equals(copyOnStart); }

    @Override
    public boolean equals(Object o) {
        return o instanceof Disk d && java.util.Objects.equals(source, d.source) && format == d.format
            && java.util.Objects.equals(target, d.target) && java.util.Objects.equals(readOnly, d.readOnly)
            && java.util.Objects.equals(copyOnStart, d.copyOnStart) && java.util.Objects.equals(cdrom, d.cdrom)
            && java.util.Objects.equals(xenOptions, d.xenOptions);
    }

    @Override
    public int hashCode() { return java.util.Objects.hash(source, format, target, readOnly, copyOnStart, cdrom, xenOptions); }

    @Override
    public String toString() { return "Disk[" + target + "=" + source + "]"; }
}
