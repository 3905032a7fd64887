package io.domainoperator.device;

import io.domainoperator.api.v1alpha1.AdapterType;
import io.domainoperator.api.v1alpha1.AdapterUsage;
import io.domainoperator.api.v1alpha1.PhysicalIOAdapter;
import io.domainoperator.api.v1alpha1.PhysicalIOAdapterSpec;
import java.util.Optional;

/** The rules that keep the host's devices in the host. Pure functions over an adapter and the host policy. */
public final class AssignmentRules {

    /** Where a free device lives when no domain holds it. */
    public enum Home {
        HOST,
        PASSTHROUGH
    }

    private AssignmentRules() {
    }

    /**
     * The rule, if any, that forbids passing this adapter to any domain. Checked for every device of a move,
     * including IOMMU and assignmentGroup peers the domain did not name.
     *
     * @param liveIfname the interface name sysfs shows now (null while a passthrough driver holds the NIC)
     */
    public static Optional<Refusal> refusal(PhysicalIOAdapter adapter, String liveIfname, HostPolicy policy) {
        PhysicalIOAdapterSpec spec = adapter.getSpec();
        String name = adapter.getMetadata().getName();
        String pci = spec.getPciAddress();
        if (spec.keepInHostOrDefault()) {
            return Optional.of(new Refusal(name, pci, Refusal.Rule.KEEP_IN_HOST,
                "adapter " + name + " (" + pci + ") has keepInHost: true; clear it to allow passthrough"));
        }
        if (spec.usageOrDefault() == AdapterUsage.Dom0) {
            return Optional.of(new Refusal(name, pci, Refusal.Rule.USAGE_DOM0,
                "adapter " + name + " (" + pci + ") has usage Dom0 and stays with the host; set usage App or Shared to pass it through"));
        }
        for (String ifname : new String[] {liveIfname, spec.getIfname()}) {
            if (ifname != null && policy.managementPorts().contains(ifname)) {
                return Optional.of(new Refusal(name, pci, Refusal.Rule.MANAGEMENT_PORT,
                    "adapter " + name + " (" + pci + ") is " + ifname + ", a management port of dom0; "
                        + "passing it through would cut the node off. Move management to another port first"));
            }
        }
        if (spec.getType() != null && spec.getType().isWireless()) {
            return Optional.of(new Refusal(name, pci, Refusal.Rule.WIRELESS,
                "adapter " + name + " (" + pci + ") is " + spec.getType() + "; radios stay in the host, which owns their regulatory state and firmware"));
        }
        return Optional.empty();
    }

    /** What the passthrough driver itself cannot take: vfio-pci needs the device in an IOMMU group. */
    public static Optional<Refusal> driverRefusal(PhysicalIOAdapter adapter, PciDevice live, PassthroughDriver driver) {
        if (!driver.needsIommuGroup() || live.iommuGroup() != null) {
            return Optional.empty();
        }
        String name = adapter.getMetadata().getName();
        return Optional.of(new Refusal(name, live.address(), Refusal.Rule.NO_IOMMU_GROUP,
            "adapter " + name + " (" + live.address() + ") is in no IOMMU group, so " + driver.name()
                + " cannot take it; enable the IOMMU (intel_iommu=on or amd_iommu=on, VT-d/AMD-Vi in the firmware)"));
    }

    /**
     * EVE's placement at agent start: free Ethernet NICs dom0 does not use and (unless {@code debug.enable.usb})
     * USB controllers wait in the passthrough driver; everything else stays with its host driver until a domain
     * asks for it. Shared adapters stay in the host, which uses them until one is lent out.
     */
    public static Home home(PhysicalIOAdapter adapter, String liveIfname, HostPolicy policy) {
        if (refusal(adapter, liveIfname, policy).isPresent()
            || adapter.getSpec().usageOrDefault() == AdapterUsage.Shared) {
            return Home.HOST;
        }
        AdapterType type = adapter.getSpec().getType();
        if (type == AdapterType.NetEth) {
            return Home.PASSTHROUGH;
        }
        if (type == AdapterType.USBController) {
            return policy.usbDebugEnabled() ? Home.HOST : Home.PASSTHROUGH;
        }
        return Home.HOST;
    }
}
