package io.domainoperator.device;

import io.domainoperator.api.v1alpha1.AdapterType;
import io.domainoperator.api.v1alpha1.Conditions;
import io.domainoperator.api.v1alpha1.PhysicalIOAdapter;
import io.domainoperator.api.v1alpha1.PhysicalIOAdapterSpec;
import io.domainoperator.api.v1alpha1.PhysicalIOAdapterStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a sysfs scan into the PhysicalIOAdapter objects of one node: spec from discovery merged with what an
 * administrator set, status from the kernel and the journal. Pure: the controller writes the result.
 */
public final class AdapterPublisher {
    public static final String LABEL_NODE = "device.domainoperator.io/node";
    public static final String LABEL_VENDOR = "device.domainoperator.io/vendor";
    public static final String LABEL_DEVICE = "device.domainoperator.io/device";
    public static final String LABEL_CLASS = "device.domainoperator.io/pci-class";

    private AdapterPublisher() {
    }

    /** e.g. {@code node1-pci-0000-01-00.0}: stable across scans, unique per node, a valid object name. */
    public static String adapterName(String nodeName, PciDevice d) {
        String a = d.address();
        return nodeName + "-pci-" + a.substring(0, a.lastIndexOf('.')).replace(':', '-') + a.substring(a.lastIndexOf('.'));
    }

    /** e.g. {@code node1-usb-1-2.4}. */
    public static String adapterName(String nodeName, UsbDevice d) {
        return nodeName + "-usb-" + d.address();
    }

    /**
     * The node's adapters as they should be: one per published PCI function and USB device, plus the existing
     * objects of this node whose device is gone (status says AdapterMissing; deleting them is the controller's
     * choice).
     *
     * @param snapshot {@link DevicePlugin#snapshot()}
     * @param existing this node's current objects (or all objects; others' are ignored), may be empty
     */
    public static List<PhysicalIOAdapter> publish(String nodeName, NodeSnapshot snapshot,
                                                  Collection<PhysicalIOAdapter> existing, HostPolicy policy,
                                                  PassthroughDriver driver, Instant now) {
        HostDevices devices = snapshot.devices();
        Map<String, String> holders = snapshot.holders();
        Map<String, PhysicalIOAdapter> previous = new HashMap<>();
        existing.stream().filter(a -> a.getSpec() != null && nodeName.equals(a.getSpec().getNodeName()))
            .forEach(a -> previous.put(a.getMetadata().getName(), a));
        Map<String, PhysicalIOAdapter> out = new LinkedHashMap<>();
        Map<String, PciDevice> liveByName = new HashMap<>();
        for (PciDevice d : devices.pci()) {
            if (PciClass.isPublished(d.classCode())) {
                String name = adapterName(nodeName, d);
                out.put(name, skeleton(name, nodeName, previous.get(name), pciSpec(nodeName, d, previous.get(name)),
                    Map.of(LABEL_VENDOR, d.vendor(), LABEL_DEVICE, d.device(),
                        LABEL_CLASS, String.format(Locale.ROOT, "%06x", d.classCode()))));
                liveByName.put(name, d);
            }
        }
        for (UsbDevice u : devices.usb()) {
            String name = adapterName(nodeName, u);
            out.put(name, skeleton(name, nodeName, previous.get(name), usbSpec(nodeName, u, previous.get(name)),
                Map.of(LABEL_VENDOR, u.vendor(), LABEL_DEVICE, u.product())));
        }
        previous.forEach((name, old) -> out.putIfAbsent(name, skeleton(name, nodeName, old, old.getSpec(), Map.of())));
        List<PhysicalIOAdapter> all = List.copyOf(out.values());
        for (PhysicalIOAdapter a : all) {
            PhysicalIOAdapter old = previous.get(a.getMetadata().getName());
            List<Condition> before = old == null || old.getStatus() == null ? List.of() : old.getStatus().getConditions();
            boolean present = liveByName.containsKey(a.getMetadata().getName())
                || (a.getSpec().getUsbAddress() != null && devices.usb().stream()
                    .anyMatch(u -> u.address().equals(a.getSpec().getUsbAddress())));
            PhysicalIOAdapterStatus status = status(a, present ? liveByName.get(a.getMetadata().getName()) : null,
                present, holders, all, devices, policy, driver, before, now);
            if (a.getSpec().getPciAddress() != null) {
                MoveFailure f = snapshot.failures().get(a.getSpec().getPciAddress());
                status.getConditions().add(f == null
                    ? condition(DeviceConditions.DRIVER_MOVE, Conditions.TRUE, DeviceConditions.COMPLETED,
                        "the device is with the driver the agent last moved it to", before, now)
                    : condition(DeviceConditions.DRIVER_MOVE, Conditions.FALSE, DeviceConditions.ADAPTER_MOVE_FAILED,
                        f.describe(), before, now));
            }
            a.setStatus(status);
        }
        return all;
    }

    /** Discovery owns what the hardware says; the administrator owns labels, usage, keepInHost and assignmentGroup. */
    static PhysicalIOAdapterSpec pciSpec(String nodeName, PciDevice d, PhysicalIOAdapter previous) {
        PhysicalIOAdapterSpec spec = adminFields(previous);
        spec.setNodeName(nodeName);
        spec.setType(d.type());
        spec.setPciAddress(d.address());
        // While pciback holds a NIC the kernel shows no interface; keep the name seen while the host had it.
        String ifname = d.ifname() != null ? d.ifname() : previous == null ? null : previous.getSpec().getIfname();
        spec.setIfname(ifname);
        if (spec.getPhylabel() == null && d.type().isNetwork()) {
            spec.setPhylabel(ifname);
        }
        return spec;
    }

    static PhysicalIOAdapterSpec usbSpec(String nodeName, UsbDevice u, PhysicalIOAdapter previous) {
        PhysicalIOAdapterSpec spec = adminFields(previous);
        spec.setNodeName(nodeName);
        spec.setType(AdapterType.USBDevice);
        spec.setUsbAddress(u.address());
        spec.setUsbProduct(u.vendorProduct());
        return spec;
    }

    private static PhysicalIOAdapterSpec adminFields(PhysicalIOAdapter previous) {
        PhysicalIOAdapterSpec spec = new PhysicalIOAdapterSpec();
        if (previous != null && previous.getSpec() != null) {
            PhysicalIOAdapterSpec p = previous.getSpec();
            spec.setPhylabel(p.getPhylabel());
            spec.setLogicalLabel(p.getLogicalLabel());
            spec.setUsage(p.getUsage());
            spec.setKeepInHost(p.getKeepInHost());
            spec.setAssignmentGroup(p.getAssignmentGroup());
        }
        return spec;
    }

    private static PhysicalIOAdapter skeleton(String name, String nodeName, PhysicalIOAdapter previous,
                                              PhysicalIOAdapterSpec spec, Map<String, String> labels) {
        PhysicalIOAdapter a = new PhysicalIOAdapter();
        ObjectMeta meta = new ObjectMeta();
        meta.setName(name);
        Map<String, String> merged = new LinkedHashMap<>();
        if (previous != null && previous.getMetadata().getLabels() != null) {
            merged.putAll(previous.getMetadata().getLabels());
        }
        if (nodeName.length() <= 63) {
            merged.put(LABEL_NODE, nodeName);
        }
        merged.putAll(labels);
        meta.setLabels(merged);
        if (previous != null && previous.getMetadata().getAnnotations() != null) {
            meta.setAnnotations(new LinkedHashMap<>(previous.getMetadata().getAnnotations()));
        }
        a.setMetadata(meta);
        a.setSpec(spec);
        return a;
    }

    static PhysicalIOAdapterStatus status(PhysicalIOAdapter adapter, PciDevice live, boolean present,
                                          Map<String, String> holders, List<PhysicalIOAdapter> all,
                                          HostDevices devices, HostPolicy policy, PassthroughDriver driver,
                                          List<Condition> before, Instant now) {
        PhysicalIOAdapterStatus s = new PhysicalIOAdapterStatus();
        String pci = adapter.getSpec().getPciAddress();
        String holder = pci == null ? null : holders.get(pci);
        s.setAssignedTo(holder);
        if (live != null) {
            s.setBoundDriver(live.driver());
            s.setIommuGroup(live.iommuGroup());
            s.setInPciback(live.boundTo(driver.name()));
        }
        String name = adapter.getMetadata().getName();
        Condition c;
        if (!present) {
            c = condition(DeviceConditions.ASSIGNABLE, Conditions.FALSE, Conditions.ADAPTER_MISSING, "the device of " + name
                + " is no longer in sysfs (unplugged, or behind a USB controller the host gave up)", before, now);
        } else if (holder != null) {
            c = condition(DeviceConditions.ASSIGNABLE, Conditions.FALSE, Conditions.ADAPTER_BUSY, "held by domain " + holder, before, now);
        } else if (pci == null) {
            c = condition(DeviceConditions.ASSIGNABLE, Conditions.FALSE, Conditions.ADAPTER_REFUSED, "USB devices are not passed through one by "
                + "one; assign the USB controller they are plugged into", before, now);
        } else {
            Optional<Refusal> refusal = AssignmentRules.refusal(adapter, live == null ? null : live.ifname(), policy)
                .or(() -> live == null ? Optional.empty() : AssignmentRules.driverRefusal(adapter, live, driver))
                .or(() -> peerRefusal(name, all, devices, policy));
            c = refusal.map(r -> condition(DeviceConditions.ASSIGNABLE, Conditions.FALSE, r.conditionReason(), r.message(), before, now))
                .orElseGet(() -> condition(DeviceConditions.ASSIGNABLE, Conditions.TRUE, DeviceConditions.FREE,
                    "can be passed through with " + MoveGroups.closure(List.of(name), all, devices).addresses().size()
                        + " device(s) of its group", before, now));
        }
        s.setConditions(new ArrayList<>(List.of(c)));
        return s;
    }

    /** A group peer that may not move keeps this adapter in the host too. */
    private static Optional<Refusal> peerRefusal(String name, List<PhysicalIOAdapter> all, HostDevices devices,
                                                 HostPolicy policy) {
        MoveGroups.Group g = MoveGroups.closure(List.of(name), all, devices);
        if (!g.refusals().isEmpty()) {
            return Optional.of(g.refusals().getFirst());
        }
        return g.members().stream().map(m -> AssignmentRules.refusal(m.adapter(), m.device().ifname(), policy))
            .flatMap(Optional::stream).findFirst()
            .map(r -> new Refusal(name, r.pciAddress(), r.rule(), "moves only with its group, and " + r.message()));
    }

    /** Keeps lastTransitionTime when status and reason stay the same, as Kubernetes conventions ask. */
    private static Condition condition(String type, String status, String reason, String message,
                                       List<Condition> before, Instant now) {
        String since = before.stream()
            .filter(c -> type.equals(c.getType()) && status.equals(c.getStatus()) && reason.equals(c.getReason()))
            .map(Condition::getLastTransitionTime).findFirst()
            .orElse(DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS)));
        return new ConditionBuilder().withType(type).withStatus(status).withReason(reason)
            .withMessage(message).withLastTransitionTime(since).build();
    }
}
