package io.domainoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** A passthrough-capable device: what discovery found, merged with what an administrator set. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class PhysicalIOAdapterSpec {
    @Required
    @Pattern(Patterns.OBJECT_NAME)
    @JsonPropertyDescription("Node the device is in.")
    private String nodeName;

    @Required
    @JsonPropertyDescription("EVE I/O type: NetEth, NetWLAN, NetWWAN, USB, USBController, USBDevice, Com, Audio, HDMI, NVMEStorage, SATAStorage or Other.")
    private AdapterType type;

    @JsonPropertyDescription("Physical label printed on the hardware, e.g. eth0, USB1, COM1.")
    private String phylabel;

    @JsonPropertyDescription("Logical label used by domains and policies, e.g. uplink.")
    private String logicalLabel;

    @Pattern(Patterns.PCI_ADDRESS)
    @JsonPropertyDescription("PCI address in long form, domain:bus:device.function, lower-case hex, e.g. 0000:07:00.0.")
    private String pciAddress;

    @Pattern(Patterns.USB_ADDRESS)
    @JsonPropertyDescription("USB bus-port path as sysfs names it, e.g. 1-2 or 3-1.4.")
    private String usbAddress;

    @Pattern(Patterns.USB_PRODUCT)
    @JsonPropertyDescription("USB vendor:product ids, e.g. 0781:5581.")
    private String usbProduct;

    @Pattern(Patterns.IFNAME)
    @JsonPropertyDescription("Network interface name in the host, for NICs, e.g. eth1.")
    private String ifname;

    @Pattern("^[A-Za-z0-9._-]{1,63}$")
    @JsonPropertyDescription("Adapters with the same group move to a domain together or not at all (e.g. functions of one card).")
    private String assignmentGroup;

    @JsonPropertyDescription("Dom0 (host only, never passed through), App (for domains) or Shared. Default App.")
    private AdapterUsage usage;

    @JsonPropertyDescription("Never pass this device through, whatever a domain asks. Default false.")
    private Boolean keepInHost;

    public String getNodeName() { return nodeName; }
    public void setNodeName(String nodeName) { this.nodeName = nodeName; }
    public AdapterType getType() { return type; }
    public void setType(AdapterType type) { this.type = type; }
    public String getPhylabel() { return phylabel; }
    public void setPhylabel(String phylabel) { this.phylabel = phylabel; }
    public String getLogicalLabel() { return logicalLabel; }
    public void setLogicalLabel(String logicalLabel) { this.logicalLabel = logicalLabel; }
    public String getPciAddress() { return pciAddress; }
    public void setPciAddress(String pciAddress) { this.pciAddress = pciAddress; }
    public String getUsbAddress() { return usbAddress; }
    public void setUsbAddress(String usbAddress) { this.usbAddress = usbAddress; }
    public String getUsbProduct() { return usbProduct; }
    public void setUsbProduct(String usbProduct) { this.usbProduct = usbProduct; }
    public String getIfname() { return ifname; }
    public void setIfname(String ifname) { this.ifname = ifname; }
    public String getAssignmentGroup() { return assignmentGroup; }
    public void setAssignmentGroup(String assignmentGroup) { this.assignmentGroup = assignmentGroup; }
    public AdapterUsage getUsage() { return usage; }
    public void setUsage(AdapterUsage usage) { this.usage = usage; }
    public Boolean getKeepInHost() { return keepInHost; }
    public void setKeepInHost(Boolean keepInHost) { this.keepInHost = keepInHost; }

    @JsonIgnore public AdapterUsage usageOrDefault() { return usage == null ? AdapterUsage.App : usage; }
    @JsonIgnore public boolean keepInHostOrDefault() { return Boolean.TRUE.equals(keepInHost); }

    @Override
    public boolean equals(Object o) {
        return o instanceof PhysicalIOAdapterSpec s && Objects.equals(nodeName, s.nodeName) && type == s.type
            && Objects.equals(phylabel, s.phylabel) && Objects.equals(logicalLabel, s.logicalLabel)
            && Objects.equals(pciAddress, s.pciAddress) && Objects.equals(usbAddress, s.usbAddress)
            && Objects.equals(usbProduct, s.usbProduct) && Objects.equals(ifname, s.ifname)
            && Objects.equals(assignmentGroup, s.assignmentGroup) && usage == s.usage
            && Objects.equals(keepInHost, s.keepInHost);
    }

    @Override
    public int hashCode() { return Objects.hash(nodeName, type, pciAddress, usbAddress); }

    @Override
    public String toString() { return "PhysicalIOAdapterSpec[" + nodeName + "," + type + "," + pciAddress + "]"; }
}
