package io.domainoperator.api.v1alpha1;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The validator's checks for the emulated hardware (NIC models, CD-ROMs, VNC, the Xen section) and for the xl
 * settings carried verbatim: standalone mode reads manifests no API server has checked against the schema.
 */
final class HardwareSettingsValidator {
    private static final Pattern NIC_MODEL = Pattern.compile(Patterns.NIC_MODEL);
    private static final Pattern KEYMAP = Pattern.compile(Patterns.KEYMAP);
    private static final Pattern VIRIDIAN_GROUP = Pattern.compile(Patterns.VIRIDIAN_GROUP);
    private static final Pattern XL_KEY = Pattern.compile(Patterns.XL_KEY);
    private static final Pattern XL_VALUE = Pattern.compile(XlSetting.VALUE_PATTERN);

    private HardwareSettingsValidator() {
    }

    static void check(DomainConfigSpec spec, List<FieldError> errors) {
        for (int i = 0; i < spec.getVifs().size(); i++) {
            Vif vif = spec.getVifs().get(i);
            if (vif != null && vif.getModel() != null && !NIC_MODEL.matcher(vif.getModel()).matches()) {
                errors.add(new FieldError("spec.vifs[" + i + "].model", Untrusted.quote(vif.getModel())
                    + " is not a NIC model name: lower-case letters, digits, '_' and '-', e.g. e1000 or virtio-net-pci"));
            }
        }
        for (int i = 0; i < spec.getDisks().size(); i++) {
            Disk disk = spec.getDisks().get(i);
            if (disk != null && disk.getSource() == null && disk.copyOnStartOrDefault()) {
                errors.add(new FieldError("spec.disks[" + i + "].copyOnStart", "needs a source to copy; an empty CD-ROM drive has none"));
            }
            if (disk != null && disk.cdromOrDefault() && Boolean.FALSE.equals(disk.getReadOnly())) {
                errors.add(new FieldError("spec.disks[" + i + "].readOnly", "is false, but a CD-ROM is always read-only; remove readOnly"));
            }
        }
        Vnc vnc = spec.getVnc();
        if (vnc != null) {
            if (vnc.getDisplay() != null && (vnc.getDisplay() < 0 || vnc.getDisplay() > 59635)) {
                errors.add(new FieldError("spec.vnc.display", "must be between 0 and 59635 (port 5900 + display), is " + vnc.getDisplay()));
            }
            if (vnc.getKeymap() != null && !KEYMAP.matcher(vnc.getKeymap()).matches()) {
                errors.add(new FieldError("spec.vnc.keymap", Untrusted.quote(vnc.getKeymap()) + " is not a keymap name, e.g. en-us, de or fr-ch"));
            }
        }
        if (spec.getXen() != null) {
            checkXen(spec.getXen(), errors);
        }
    }

    private static void checkXen(XenSettings xen, List<FieldError> errors) {
        for (int i = 0; i < xen.getViridianGroups().size(); i++) {
            String group = xen.getViridianGroups().get(i);
            if (group == null || !VIRIDIAN_GROUP.matcher(group).matches()) {
                errors.add(new FieldError("spec.xen.viridianGroups[" + i + "]", Untrusted.quote(group)
                    + " is not a viridian group name, e.g. base, freq or !hcall_ipi"));
            }
        }
        if (xen.getViridian() != null && !xen.getViridianGroups().isEmpty()) {
            errors.add(new FieldError("spec.xen.viridianGroups", "is given together with spec.xen.viridian; xl takes one or the other, keep one"));
        }
        Map<String, Integer> keys = new HashMap<>();
        for (int i = 0; i < xen.getPassThrough().size(); i++) {
            XlSetting setting = xen.getPassThrough().get(i);
            String at = "spec.xen.passThrough[" + i + "]";
            if (setting == null) {
                errors.add(new FieldError(at, "is empty; give key and value"));
                continue;
            }
            if (setting.getKey() == null || !XL_KEY.matcher(setting.getKey()).matches()) {
                errors.add(new FieldError(at + ".key", Untrusted.quote(setting.getKey()) + " is not an xl key (lower-case letters, digits, '_', '.')"));
            } else {
                Integer first = keys.putIfAbsent(setting.getKey(), i);
                if (first != null) {
                    errors.add(new FieldError(at + ".key", Untrusted.quote(setting.getKey()) + " is already carried by spec.xen.passThrough[" + first + "]; merge the two"));
                }
            }
            if (setting.getValue() == null || !XL_VALUE.matcher(setting.getValue()).matches()
                || setting.getValue().length() > XlSetting.VALUE_MAX_LENGTH) {
                errors.add(new FieldError(at + ".value", "must be an xl value in printable ASCII (at most "
                    + XlSetting.VALUE_MAX_LENGTH + " characters), e.g. \"0-3\", 512 or ['a', 'b']"));
            }
        }
    }
}
