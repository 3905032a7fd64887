package io.domainoperator.hypervisor.qemu;

import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.api.v1alpha1.XenSettings;
import io.domainoperator.api.v1alpha1.XlSetting;
import java.util.ArrayList;
import java.util.List;

/**
 * The settings of a spec the QEMU backend cannot apply: the Xen section and the xl settings carried verbatim.
 * They are named in the log at every start, never silently ignored.
 */
final class QemuUnapplied {
    private QemuUnapplied() {
    }

    static List<String> of(DomainConfigSpec spec) {
        List<String> unapplied = new ArrayList<>();
        XenSettings xen = spec.getXen();
        if (xen != null) {
            if (xen.getViridian() != null || !xen.getViridianGroups().isEmpty()) {
                unapplied.add("spec.xen.viridian (Hyper-V enlightenments are a Xen setting here)");
            }
            addIfSet(unapplied, "spec.xen.pae", xen.getPae());
            addIfSet(unapplied, "spec.xen.apic", xen.getApic());
            addIfSet(unapplied, "spec.xen.hap", xen.getHap());
            addIfSet(unapplied, "spec.xen.nestedHvm", xen.getNestedHvm());
            for (XlSetting setting : xen.getPassThrough()) {
                unapplied.add("spec.xen.passThrough " + (setting == null ? null : setting.getKey()) + " (an xl setting)");
            }
            for (var pci : xen.getPciOptions()) {
                if (pci != null) {
                    unapplied.add("spec.xen.pciOptions " + pci.getAdapter() + " " + pci.getOptions() + " (xl pci parameters)");
                }
            }
        }
        for (int i = 0; i < spec.getDisks().size(); i++) {
            var disk = spec.getDisks().get(i);
            if (disk != null && !disk.getXenOptions().isEmpty()) {
                unapplied.add("spec.disks[" + i + "].xenOptions " + disk.getXenOptions() + " (xl disk parameters)");
            }
        }
        for (int i = 0; i < spec.getVifs().size(); i++) {
            var vif = spec.getVifs().get(i);
            if (vif != null && !vif.getXenOptions().isEmpty()) {
                unapplied.add("spec.vifs[" + i + "].xenOptions " + vif.getXenOptions() + " (xl vif parameters)");
            }
        }
        if (spec.getVnc() != null && spec.getVnc().getFindUnused() != null) {
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
