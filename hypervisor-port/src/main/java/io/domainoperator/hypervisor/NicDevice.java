package io.domainoperator.hypervisor;

import java.util.List;

/**
 * One virtual NIC. Absent values are null: a backend derives a stable MAC from the uuid, names the host side
 * itself and uses its default model.
 *
 * @param vifName    the host side's interface name
 * @param xenOptions xl vif parameters carried verbatim (the xl backend only)
 */
public record NicDevice(String bridge, String mac, String vifName, String model, List<String> xenOptions) {
    public NicDevice {
        xenOptions = List.copyOf(xenOptions);
    }
}
