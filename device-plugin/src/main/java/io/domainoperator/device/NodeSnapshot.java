package io.domainoperator.device;

import java.util.Map;

/**
 * Everything {@link AdapterPublisher} needs from the plugin, taken at one moment.
 *
 * @param devices  the sysfs scan
 * @param holders  PCI address to the domain (ns/name) holding it
 * @param failures PCI address to the last failed move of its group, until a later move of it succeeds
 */
public record NodeSnapshot(HostDevices devices, Map<String, String> holders, Map<String, MoveFailure> failures) {
    public NodeSnapshot {
        holders = Map.copyOf(holders);
        failures = Map.copyOf(failures);
    }
}
