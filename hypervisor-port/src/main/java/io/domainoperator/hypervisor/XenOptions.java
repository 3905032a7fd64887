package io.domainoperator.hypervisor;

import java.util.List;

/**
 * Settings only Xen understands: the xl backend writes them, the others name them as not applied. A switch is
 * null when the spec leaves it to xl's default.
 *
 * @param passThrough xl settings carried verbatim, in the spec's order
 * @param pciOptions  xl pci parameters per adapter
 */
public record XenOptions(Boolean viridian, List<String> viridianGroups, Boolean pae, Boolean apic, Boolean hap,
                         Boolean nestedHvm, List<Setting> passThrough, List<PciOptions> pciOptions) {
    public static final XenOptions NONE = new XenOptions(null, List.of(), null, null, null, null, List.of(), List.of());

    /** One {@code key = value} line of an xl file, the value as xl syntax. */
    public record Setting(String key, String value) {
    }

    /** xl pci parameters for the adapter of that name. */
    public record PciOptions(String adapter, List<String> options) {
        public PciOptions {
            options = List.copyOf(options);
        }
    }

    public XenOptions {
        viridianGroups = List.copyOf(viridianGroups);
        passThrough = List.copyOf(passThrough);
        pciOptions = List.copyOf(pciOptions);
    }

    /** The options of the adapter of that name; empty when it has none. */
    public List<String> pciOptionsOf(String adapter) {
        return pciOptions.stream().filter(p -> p.adapter() != null && p.adapter().equals(adapter)).findFirst()
            .map(PciOptions::options).orElse(List.of());
    }
}
