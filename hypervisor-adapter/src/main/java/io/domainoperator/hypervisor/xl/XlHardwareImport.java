package io.domainoperator.hypervisor.xl;

import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.api.v1alpha1.Vga;
import io.domainoperator.api.v1alpha1.VirtualizationMode;
import io.domainoperator.api.v1alpha1.Vnc;
import io.domainoperator.api.v1alpha1.XenSettings;
import io.domainoperator.api.v1alpha1.XlSetting;
import java.util.List;

/**
 * The importer's part for the emulated hardware (graphics card, VNC, ACPI, clock), the Xen section, and the keys
 * carried verbatim in spec.xen.passThrough or dropped with a warning, as {@code xl-keys.tsv} says.
 */
final class XlHardwareImport {
    private final XlSettingsReader in;

    XlHardwareImport(XlSettingsReader in) {
        this.in = in;
    }

    void fill(DomainConfigSpec spec) {
        spec.setVga(vga());
        spec.setAcpi(in.flag("acpi"));
        spec.setLocaltime(in.flag("localtime"));
        spec.setVnc(vnc(spec.modeOrDefault()));
        XenSettings xen = new XenSettings();
        viridian(xen);
        xen.setPae(in.flag("pae"));
        xen.setApic(in.flag("apic"));
        xen.setHap(in.flag("hap"));
        xen.setNestedHvm(in.flag("nestedhvm"));
        for (XlConfig.Setting setting : in.file().settings()) {
            treat(setting, xen);
        }
        spec.setXen(xen.isEmpty() ? null : xen);
    }

    /** Carries, drops or refuses a key that has no field; mapped keys are read by their fields. */
    private void treat(XlConfig.Setting setting, XenSettings xen) {
        var key = XlKeys.find(setting.key());
        if (key.isEmpty()) {
            in.warn(setting, "'" + setting.key() + "' dropped: it is not a key of xl.cfg(5) (Xen 4.17), and xl ignores keys it does not know");
            return;
        }
        switch (key.get().treatment()) {
            case MAPPED -> { }
            case DROPPED -> in.warn(setting, "'" + setting.key() + "' dropped: " + key.get().detail());
            case REFUSED -> in.error(setting, "'" + setting.key() + "' cannot be imported: " + key.get().detail());
            case CARRIED -> {
                try {
                    xen.getPassThrough().add(new XlSetting(setting.key(), XlSyntax.value(setting.key(), setting.value())));
                } catch (IllegalArgumentException e) {
                    in.error(setting, "'" + setting.key() + "' cannot be carried: its " + e.getMessage().replaceFirst("^value of '[^']*' ", "value "));
                }
            }
        }
    }

    private Vga vga() {
        String vga = in.string("vga", false);
        Boolean stdvga = in.flag("stdvga");
        if (vga != null && stdvga != null) {
            in.error(in.setting("stdvga").orElseThrow(), "'stdvga' and 'vga' both given; keep only vga");
            return null;
        }
        if (stdvga != null) {
            return stdvga ? Vga.std : Vga.cirrus;
        }
        if (vga == null) {
            return null;
        }
        return switch (vga) {
            case "stdvga" -> Vga.std;
            case "cirrus" -> Vga.cirrus;
            case "qxl" -> Vga.qxl;
            case "none" -> Vga.none;
            default -> {
                in.error(in.setting("vga").orElseThrow(), "vga '" + vga + "' is not stdvga, cirrus, qxl or none");
                yield null;
            }
        };
    }

    private Vnc vnc(VirtualizationMode mode) {
        Boolean enabled = in.flag("vnc");
        String listen = in.string("vnclisten", false);
        Integer display = in.integer("vncdisplay", false);
        Boolean findUnused = in.flag("vncunused");
        String keymap = in.string("keymap", false);
        if (enabled == null) {
            // xl gives HVM guests a VNC console unless vnc = 0 (PV guests none); DomainConfig's default is off.
            enabled = mode == VirtualizationMode.HVM;
        }
        if (!enabled && listen == null && display == null && findUnused == null && keymap == null) {
            return null;
        }
        Vnc vnc = new Vnc(enabled, listen);
        vnc.setDisplay(display);
        vnc.setFindUnused(findUnused);
        vnc.setKeymap(keymap);
        return vnc;
    }

    private void viridian(XenSettings xen) {
        var setting = in.setting("viridian");
        if (setting.isEmpty()) {
            return;
        }
        if (setting.get().value() instanceof XlValue.Lst list) {
            List<String> groups = list.items().stream().filter(v -> !(v instanceof XlValue.Lst)).map(XlValue::atomText).toList();
            if (groups.size() != list.items().size()) {
                in.error(setting.get(), "viridian groups must be strings, e.g. [\"base\", \"freq\"]");
                return;
            }
            xen.setViridianGroups(new java.util.ArrayList<>(groups));
        } else {
            xen.setViridian(in.flag("viridian"));
        }
    }
}
