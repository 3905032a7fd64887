package io.domainoperator.hypervisor.xl;

import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.api.v1alpha1.FieldError;
import io.domainoperator.api.v1alpha1.Vga;
import io.domainoperator.api.v1alpha1.Vnc;
import io.domainoperator.api.v1alpha1.XenSettings;
import io.domainoperator.api.v1alpha1.XlSetting;
import java.util.List;

/**
 * The renderer's part for the emulated hardware, the Xen section and the settings carried verbatim. A carried
 * value is parsed again and written by {@link XlSyntax}, never pasted: whatever the manifest holds, it becomes
 * exactly one {@code key = value} line of a key xl-keys.tsv marks as carried.
 */
final class XlHardwareRenderer {
    private XlHardwareRenderer() {
    }

    static void render(DomainConfigSpec spec, boolean hvm, XlConfig.Builder out, List<FieldError> errors) {
        if (spec.getVga() != null) {
            requireHvm(hvm, "spec.vga", errors);
            out.str("vga", spec.getVga() == Vga.std ? "stdvga" : spec.getVga().name());
        }
        flag(out, "acpi", spec.getAcpi());
        flag(out, "localtime", spec.getLocaltime());
        Vnc vnc = spec.getVnc();
        if (vnc != null) {
            if (vnc.getDisplay() != null) {
                out.num("vncdisplay", vnc.getDisplay());
            }
            flag(out, "vncunused", vnc.getFindUnused());
            if (vnc.getKeymap() != null) {
                out.str("keymap", vnc.getKeymap());
            }
        }
        XenSettings xen = spec.getXen();
        if (xen == null) {
            return;
        }
        flag(out, "viridian", xen.getViridian());
        if (!xen.getViridianGroups().isEmpty()) {
            out.list("viridian", xen.getViridianGroups());
        }
        flag(out, "pae", xen.getPae());
        flag(out, "apic", xen.getApic());
        flag(out, "hap", xen.getHap());
        flag(out, "nestedhvm", xen.getNestedHvm());
        for (int i = 0; i < xen.getPassThrough().size(); i++) {
            carried(xen.getPassThrough().get(i), "spec.xen.passThrough[" + i + "]", out, errors);
        }
    }

    private static void carried(XlSetting setting, String field, XlConfig.Builder out, List<FieldError> errors) {
        if (setting == null || setting.getKey() == null || setting.getValue() == null) {
            return; // DomainConfigValidator has reported it
        }
        var key = XlKeys.find(setting.getKey());
        if (key.isEmpty() || key.get().treatment() != XlKeys.Treatment.CARRIED) {
            errors.add(new FieldError(field + ".key", "'" + setting.getKey() + "' " + key
                .map(k -> k.treatment() == XlKeys.Treatment.MAPPED ? "has a DomainConfig field, " + k.detail() + "; set that instead"
                    : "is " + k.treatment().name().toLowerCase(java.util.Locale.ROOT) + " on import: " + k.detail())
                .orElse("is not a key of xl.cfg(5) (Xen 4.17)")));
            return;
        }
        try {
            XlConfig parsed = XlConfigParser.parse(setting.getKey() + " = " + setting.getValue() + "\n");
            if (parsed.settings().size() != 1 || !parsed.keys().equals(List.of(setting.getKey()))) {
                errors.add(new FieldError(field + ".value", "must be a single xl value, e.g. \"0-3\", 512 or ['a', 'b']"));
                return;
            }
            out.put(setting.getKey(), parsed.settings().getFirst().value());
        } catch (XlConfigException e) {
            errors.add(new FieldError(field + ".value", "'" + setting.getValue() + "' is not an xl value: " + e.problem()));
        } catch (IllegalStateException e) {
            errors.add(new FieldError(field + ".key", "'" + setting.getKey() + "' is written from another field too; remove one"));
        }
    }

    private static void requireHvm(boolean hvm, String field, List<FieldError> errors) {
        if (!hvm) {
            errors.add(new FieldError(field, "only HVM guests have emulated graphics; remove it or use virtualizationMode HVM"));
        }
    }

    private static void flag(XlConfig.Builder out, String key, Boolean value) {
        if (value != null) {
            out.num(key, value ? 1 : 0);
        }
    }
}
