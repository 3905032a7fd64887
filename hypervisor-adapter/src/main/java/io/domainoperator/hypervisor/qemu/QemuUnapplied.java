package io.domainoperator.hypervisor.qemu;

import io.domainoperator.hypervisor.DomainDefinition;
import io.domainoperator.hypervisor.XenOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * The settings of a spec the QEMU backend cannot apply: the Xen section and the xl settings carried verbatim.
 * They are named in the log at every start, never silently ignored.
 */
final class QemuUnapplied {
    private QemuUnapplied() {
    }

    static List<String> of(DomainDefinition definition) {
        List<String> unapplied = new ArrayList<>();
        XenOptions xen = definition.xen();
        if (xen.viridian() != null || !xen.viridianGroups().isEmpty()) {
            unapplied.add("spec.xen.viridian (Hyper-V enlightenments are a Xen setting here)");
        }
        addIfSet(unapplied, "spec.xen.pae", xen.pae());
        addIfSet(unapplied, "spec.xen.apic", xen.apic());
        addIfSet(unapplied, "spec.xen.hap", xen.hap());
        addIfSet(unapplied, "spec.xen.nestedHvm", xen.nestedHvm());
        for (XenOptions.Setting setting : xen.passThrough()) {
            unapplied.add("spec.xen.passThrough " + setting.key() + " (an xl setting)");
        }
        for (XenOptions.PciOptions pci : xen.pciOptions()) {
            unapplied.add("spec.xen.pciOptions " + pci.adapter() + " " + pci.options() + " (xl pci parameters)");
        }
        for (int i = 0; i < definition.disks().size(); i++) {
            var disk = definition.disks().get(i);
            if (!disk.xenOptions().isEmpty()) {
                unapplied.add("spec.disks[" + i + "].xenOptions " + disk.xenOptions() + " (xl disk parameters)");
            }
        }
        for (int i = 0; i < definition.nics().size(); i++) {
            var nic = definition.nics().get(i);
            if (!nic.xenOptions().isEmpty()) {
                unapplied.add("spec.vifs[" + i + "].xenOptions " + nic.xenOptions() + " (xl vif parameters)");
            }
        }
        if (definition.console().vnc() != null && definition.console().vnc().findUnused() != null) {
            unapplied.add("spec.vnc.findUnused (QEMU's display is spec.vnc.display or the domain id)");
        }
        return unapplied;
    }

    private static void addIfSet(List<String> unapplied, String field, Boolean value) {
        if (value != null) {
            unapplied.add(field);
        }
    }
}
