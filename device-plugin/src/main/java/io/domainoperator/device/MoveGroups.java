package io.domainoperator.device;

import io.domainoperator.api.v1alpha1.PhysicalIOAdapter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Closes a set of adapters over IOMMU groups and assignmentGroups: the smallest set that may move as one.
 * An IOMMU group peer the host uses but nobody published (chipset functions) cannot move, so it refuses the
 * whole set; unbound peers and bridges are harmless and stay where they are.
 */
final class MoveGroups {

    record Member(PhysicalIOAdapter adapter, PciDevice device) {
        String address() {
            return device.address();
        }

        String name() {
            return adapter.getMetadata().getName();
        }
    }

    /** Members in address order, and the refusals found while closing (missing devices, unmovable peers). */
    record Group(List<Member> members, List<Refusal> refusals) {
        List<String> addresses() {
            return members.stream().map(Member::address).toList();
        }
    }

    private MoveGroups() {
    }

    static Group closure(Collection<String> seedNames, List<PhysicalIOAdapter> adapters, HostDevices devices) {
        Map<String, PhysicalIOAdapter> byName = new HashMap<>();
        Map<String, PhysicalIOAdapter> byAddress = new HashMap<>();
        for (PhysicalIOAdapter a : adapters) {
            byName.put(a.getMetadata().getName(), a);
            if (a.getSpec().getPciAddress() != null) {
                byAddress.put(a.getSpec().getPciAddress(), a);
            }
        }
        List<Refusal> refusals = new ArrayList<>();
        Map<String, Member> members = new LinkedHashMap<>();
        Set<String> seen = new LinkedHashSet<>();
        Deque<PhysicalIOAdapter> queue = new ArrayDeque<>();
        for (String name : seedNames) {
            PhysicalIOAdapter a = byName.get(name);
            if (a == null) {
                refusals.add(new Refusal(name, null, Refusal.Rule.MISSING,
                    "adapter " + name + " is not published on this node; check the name in spec.adapters"));
            } else if (a.getSpec().getPciAddress() == null) {
                refusals.add(new Refusal(name, null, Refusal.Rule.NOT_PCI,
                    "adapter " + name + " is a " + a.getSpec().getType() + " without a PCI address; only PCI functions are passed through"));
            } else {
                queue.add(a);
            }
        }
        while (!queue.isEmpty()) {
            PhysicalIOAdapter a = queue.poll();
            String address = a.getSpec().getPciAddress();
            if (!seen.add(address)) {
                continue;
            }
            Optional<PciDevice> live = devices.pci(address);
            if (live.isEmpty()) {
                refusals.add(new Refusal(a.getMetadata().getName(), address, Refusal.Rule.MISSING,
                    "adapter " + a.getMetadata().getName() + " (" + address + ") is not in sysfs; was it removed?"));
                continue;
            }
            members.put(address, new Member(a, live.get()));
            for (PciDevice peer : devices.iommuPeers(live.get())) {
                PhysicalIOAdapter peerAdapter = byAddress.get(peer.address());
                if (peerAdapter != null) {
                    queue.add(peerAdapter);
                } else if (peer.driver() != null) {
                    refusals.add(new Refusal(a.getMetadata().getName(), address, Refusal.Rule.HOST_DEVICE_IN_GROUP,
                        "adapter " + a.getMetadata().getName() + " (" + address + ") shares IOMMU group "
                            + peer.iommuGroup() + " with " + peer.address() + " (driver " + peer.driver()
                            + "), which the host keeps; the group can only move as a whole"));
                }
            }
            String group = a.getSpec().getAssignmentGroup();
            if (group != null) {
                adapters.stream()
                    .filter(p -> group.equals(p.getSpec().getAssignmentGroup()) && p.getSpec().getPciAddress() != null)
                    .forEach(queue::add);
            }
        }
        List<Member> sorted = members.values().stream().sorted(Comparator.comparing(Member::address)).toList();
        return new Group(sorted, List.copyOf(refusals));
    }

    /** Every PCI adapter present in sysfs, split into the groups that move together. */
    static List<Group> partition(List<PhysicalIOAdapter> adapters, HostDevices devices) {
        Set<String> covered = new LinkedHashSet<>();
        List<Group> groups = new ArrayList<>();
        adapters.stream()
            .filter(a -> a.getSpec().getPciAddress() != null && devices.pci(a.getSpec().getPciAddress()).isPresent())
            .sorted(Comparator.comparing(a -> a.getSpec().getPciAddress()))
            .forEach(a -> {
                if (!covered.contains(a.getSpec().getPciAddress())) {
                    Group g = closure(List.of(a.getMetadata().getName()), adapters, devices);
                    covered.addAll(g.addresses());
                    groups.add(g);
                }
            });
        return groups;
    }
}
