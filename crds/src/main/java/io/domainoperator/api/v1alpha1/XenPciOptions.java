package io.domainoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * xl pci parameters of one passed-through adapter ({@code permissive=1}, {@code vslot=3}, ...), written back
 * verbatim into that adapter's pci spec string. Kept beside spec.adapters rather than in it because adapters
 * is a list of names that the device plugin and the scheduler read as such.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class XenPciOptions {
    /** xl-pci-configuration(5)'s keys other than the address (which is the adapter). */
    public static final java.util.Set<String> PCI_KEYS = java.util.Set.of("permissive", "msitranslate", "seize",
        "power_mgmt", "rdm_policy", "vslot");

    @Required
    @JsonPropertyDescription("The adapter these options belong to, a name listed in spec.adapters.")
    private String adapter;

    @JsonPropertyDescription("xl pci parameters as in xl-pci-configuration(5), each key=value: permissive, msitranslate, seize, power_mgmt, rdm_policy or vslot (the virtual slot, xl's @N). At most 16, printable ASCII, no commas, quotes or brackets.")
    private List<String> options = new ArrayList<>();

    public XenPciOptions() {
    }

    public XenPciOptions(String adapter, List<String> options) {
        this.adapter = adapter;
        setOptions(options);
    }

    public String getAdapter() { return adapter; }
    public void setAdapter(String adapter) { this.adapter = adapter; }
    public List<String> getOptions() { return options; }
    public void setOptions(List<String> options) { this.options = options == null ? new ArrayList<>() : new ArrayList<>(options); }

    @Override
    public boolean equals(Object o) {
        return o instanceof XenPciOptions p && Objects.equals(adapter, p.adapter) && Objects.equals(options, p.options);
    }

    @Override
    public int hashCode() { return Objects.hash(adapter, options); }

    @Override
    public String toString() { return "XenPciOptions[" + adapter + "," + options + "]"; }
}
