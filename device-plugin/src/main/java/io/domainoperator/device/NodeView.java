package io.domainoperator.device;

import io.domainoperator.api.v1alpha1.PhysicalIOAdapter;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What the controller knows that sysfs does not, handed to every call.
 *
 * @param adapters      this node's PhysicalIOAdapters (admin fields: usage, keepInHost, assignmentGroup, ifname)
 * @param policy        dom0's management ports and the USB debug knob
 * @param activeDomains domains (ns/name) on this node that exist or are being started; a holder not in this
 *                      set is stale and its devices are free. Include a domain from the moment its adapters are
 *                      assigned, not only once the hypervisor lists it.
 */
public record NodeView(List<PhysicalIOAdapter> adapters, HostPolicy policy, Set<String> activeDomains) {
    public NodeView {
        adapters = List.copyOf(adapters);
        Objects.requireNonNull(policy, "policy");
        activeDomains = Set.copyOf(activeDomains);
    }
}
