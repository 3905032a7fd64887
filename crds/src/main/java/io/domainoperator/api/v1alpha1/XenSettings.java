package io.domainoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Settings only a Xen node honours. The QEMU backend reports each one it cannot apply instead of ignoring it.
 * Unset fields leave xl's default in force.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class XenSettings {
    @JsonPropertyDescription("HVM: expose Microsoft Hyper-V (viridian) enlightenments, xl's viridian = 1 (the default groups) or 0. Windows guests want it.")
    private Boolean viridian;

    @JsonPropertyDescription("HVM: the viridian enlightenment groups to expose, xl's viridian = [\"base\", \"freq\", ...] (a name prefixed with '!' removes a group). Instead of viridian.")
    private List<String> viridianGroups = new ArrayList<>();

    @JsonPropertyDescription("HVM: physical address extension for the guest (xl's pae). xl's default true.")
    private Boolean pae;

    @JsonPropertyDescription("HVM: emulated local APIC (xl's apic). xl's default true.")
    private Boolean apic;

    @JsonPropertyDescription("Hardware assisted paging (xl's hap). xl's default true where the CPU has it.")
    private Boolean hap;

    @JsonPropertyDescription("Nested virtualization: let the guest run its own hypervisor (xl's nestedhvm). xl's default false.")
    private Boolean nestedHvm;

    @JsonPropertyDescription("xl settings DomainConfig has no field for, written back verbatim by export-xl and the xl backend (import-xl fills it). Each key at most once.")
    private List<XlSetting> passThrough = new ArrayList<>();

    @JsonPropertyDescription("Per-adapter xl pci parameters (permissive=1, vslot=3, ...), written back into that adapter's pci entry by export-xl and the xl backend (import-xl fills it); not applied by the QEMU backend. One entry per adapter of spec.adapters.")
    private List<XenPciOptions> pciOptions = new ArrayList<>();

    public Boolean getViridian() { return viridian; }
    public void setViridian(Boolean viridian) { this.viridian = viridian; }
    public List<String> getViridianGroups() { return viridianGroups; }
    public void setViridianGroups(List<String> viridianGroups) { this.viridianGroups = viridianGroups == null ? new ArrayList<>() : viridianGroups; }
    public Boolean getPae() { return pae; }
    public void setPae(Boolean pae) { this.pae = pae; }
    public Boolean getApic() { return apic; }
    public void setApic(Boolean apic) { this.apic = apic; }
    public Boolean getHap() { return hap; }
    public void setHap(Boolean hap) { this.hap = hap; }
    public Boolean getNestedHvm() { return nestedHvm; }
    public void setNestedHvm(Boolean nestedHvm) { this.nestedHvm = nestedHvm; }
    public List<XlSetting> getPassThrough() { return passThrough; }
    public void setPassThrough(List<XlSetting> passThrough) { this.passThrough = passThrough == null ? new ArrayList<>() : passThrough; }
    public List<XenPciOptions> getPciOptions() { return pciOptions; }
    public void setPciOptions(List<XenPciOptions> pciOptions) { this.pciOptions = pciOptions == null ? new ArrayList<>() : pciOptions; }

    /** True when no field is set, so an import can leave spec.xen out. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isEmpty() {
        return viridian == null && viridianGroups.isEmpty() && pae == null && apic == null && hap == null
            && nestedHvm == null && passThrough.isEmpty() && pciOptions.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof XenSettings x && Objects.equals(viridian, x.viridian) && Objects.equals(viridianGroups, x.viridianGroups)
            && Objects.equals(pae, x.pae) && Objects.equals(apic, x.apic) && Objects.equals(hap, x.hap)
            && Objects.equals(nestedHvm, x.nestedHvm) && Objects.equals(passThrough, x.passThrough)
            && Objects.equals(pciOptions, x.pciOptions);
    }

    @Override
    public int hashCode() { return Objects.hash(viridian, viridianGroups, pae, apic, hap, nestedHvm, passThrough, pciOptions); }

    @Override
    public String toString() { return "XenSettings[viridian=" + viridian + viridianGroups + ", passThrough=" + passThrough + ", pciOptions=" + pciOptions + "]"; }
}
