package io.domainoperator.hypervisor.xl;

import io.domainoperator.api.v1alpha1.FieldError;
import io.domainoperator.hypervisor.Console;
import io.domainoperator.hypervisor.DomainDefinition;
import io.domainoperator.hypervisor.XenOptions;
import java.util.List;

/**
 * The renderer's part for the emulated hardware, the Xen section and the settings carried verbatim. A carried
 * value is parsed again and written by {@link XlSyntax}, never pasted: whatever the manifest holds, it becomes
 * exactly one {@code key = value} line of a key xl-keys.tsv marks as carried.
 */
final class XlHardwareRenderer {
    private XlHardwareRenderer() {
    }

    static void render(DomainDefinition definition, boolean hvm, XlConfig.Builder out, List<FieldError> errors) {
        Console console = definition.console();
        if (console.vga() != null) {
            requireHvm(hvm, "spec.vga", errors);
            out.str("vga", console.vga() == Console.GraphicsCard.std ? "stdvga" : console.vga().name());
        }
        flag(out, "acpi", definition.machine().acpi());
        flag(out, "localtime", definition.machine().localtime());
        Console.Vnc vnc = console.vnc();
        if (vnc != null) {
            if (vnc.display() != null) {
                out.num("vncdisplay", vnc.display());
            }
            flag(out, "vncunused", vnc.findUnused());
            if (vnc.keymap() != null) {
                out.str("keymap", vnc.keymap());
            }
        }
        XenOptions xen = definition.xen();
        flag(out, "viridian", xen.viridian());
        if (!xen.viridianGroups().isEmpty()) {
            out.list("viridian", xen.viridianGroups());
        }
        flag(out, "pae", xen.pae());
        flag(out, "apic", xen.apic());
        flag(out, "hap", xen.hap());
        flag(out, "nestedhvm", xen.nestedHvm());
        for (int i = 0; i < xen.passThrough().size(); i++) {
            carried(xen.passThrough().get(i), "spec.xen.passThrough[" + i + "]", out, errors);
        }
    }

    private static void carried(XenOptions.Setting setting, String field, XlConfig.Builder out, List<FieldError> errors) {
        if (setting.key() == null || setting.value() == null) {
            errors.add(new FieldError(field, "needs both a key and a value"));
            return;
        }
        var key = XlKeys.find(setting.key());
        if (key.isEmpty() || key.get().treatment() != XlKeys.Treatment.CARRIED) {
            errors.add(new FieldError(field + ".key", "'" + setting.key() + "' " + key
                .map(k -> k.treatment() == XlKeys.Treatment.MAPPED ? "has a DomainConfig field, " + k.detail() + "; set that instead"
                    : "is " + k.treatment().name().toLowerCase(java.util.Locale.ROOT) + " on import: " + k.detail())
                .orElse("is not a key of xl.cfg(5) (Xen 4.17)")));
            return;
        }
        try {
            XlConfig parsed = XlConfigParser.parse(setting.key() + " = " + setting.value() + "\n");
            if (parsed.settings().size() != 1 || !parsed.keys().equals(List.of(setting.key()))) {
                errors.add(new FieldError(field + ".value", "must be a single xl value, e.g. \"0-3\", 512 or ['a', 'b']"));
                return;
            }
            out.put(setting.key(), parsed.settings().getFirst().value());
        } catch (XlConfigException e) {
            errors.add(new FieldError(field + ".value", "'" + setting.value() + "' is not an xl value: " + e.problem()));
        } catch (IllegalStateException e) {
            errors.add(new FieldError(field + ".key", "'" + setting.key() + "' is written from another field too; remove one"));
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
