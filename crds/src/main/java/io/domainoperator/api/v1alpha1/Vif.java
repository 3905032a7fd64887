package io.domainoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** One virtual network interface. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Vif {
    @Required
    @Pattern(Patterns.IFNAME)
    @JsonPropertyDescription("Host bridge the interface is attached to, e.g. bn2.")
    private String bridge;

    @Pattern(Patterns.MAC)
    @JsonPropertyDescription("MAC address, six colon-separated hex octets, e.g. 00:16:3e:00:01:01. Generated from the domain uuid when absent.")
    private String mac;

    @Pattern(Patterns.IFNAME)
    @JsonPropertyDescription("Name of the backend interface in dom0, e.g. nbu1x1 (at most 15 characters).")
    private String vifName;

    @Pattern(Patterns.NIC_MODEL)
    @JsonPropertyDescription("Emulated NIC model of an HVM guest (xl's model=, QEMU's -device), e.g. e1000, rtl8139, virtio-net-pci. Default: the backend's (xl: rtl8139; QEMU: virtio-net-pci).")
    private String model;

    @JsonPropertyDescription("xl vif parameters DomainConfig has no field for, each key=value as in xl's vif spec, e.g. rate=10Mb/s or script=vif-route; written back verbatim into this vif's spec by export-xl and the xl backend (import-xl fills it), not applied by the QEMU backend. At most 16, printable ASCII, no commas, quotes or brackets.")
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    private java.util.List<String> xenOptions = new java.util.ArrayList<>();

    public Vif() {
    }

    public Vif(String bridge, String mac, String vifName) {
        this.bridge = bridge;
        this.mac = mac;
        this.vifName = vifName;
    }

    public String getBridge() { return bridge; }
    public void setBridge(String bridge) { this.bridge = bridge; }
    public String getMac() { return mac; }
    public void setMac(String mac) { this.mac = mac; }
    public String getVifName() { return vifName; }
    public String getModel() { return model; }
    public void setModel(String model) { this.model = model; }
    public void setVifName(String vifName) { this.vifName = vifName; }
    public java.util.List<String> getXenOptions() { return xenOptions; }
    public void setXenOptions(java.util.List<String> xenOptions) { this.xenOptions = xenOptions == null ? new java.util.ArrayList<>() : xenOptions; }

    @Override
    public boolean equals(Object o) {
        return o instanceof Vif v && java.util.Objects.equals(bridge, v.bridge) && java.util.Objects.equals(mac, v.mac)
            && java.util.Objects.equals(vifName, v.vifName) && java.util.Objects.equals(model, v.model)
            && java.util.Objects.equals(xenOptions, v.xenOptions);
    }

    @Override
    public int hashCode() { return java.util.Objects.hash(bridge, mac, vifName, model, xenOptions); }

    @Override
    public String toString() { return "Vif[" + bridge + "," + mac + "," + vifName + "," + model + (xenOptions.isEmpty() ? "" : "," + xenOptions) + "]"; }
}
