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

    @Override
    public boolean equals(Object o) {
        return o instanceof Vif v && java.util.Objects.equals(bridge, v.bridge) && java.util.Objects.equals(mac, v.mac)
            && java.util.Objects.equals(vifName, v.vifName) && java.util.Objects.equals(model, v.model);
    }

    @Override
    public int hashCode() { return java.util.Objects.hash(bridge, mac, vifName, model); }

    @Override
    public String toString() { return "Vif[" + bridge + "," + mac + "," + vifName + "," + model + "]"; }
}
