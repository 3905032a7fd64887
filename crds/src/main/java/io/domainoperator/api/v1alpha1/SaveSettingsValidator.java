package io.domainoperator.api.v1alpha1;

import java.util.List;

/**
 * Issue 18, save and restore: a domain holding a passed-through device cannot be saved (neither xl nor QEMU can
 * capture a physical device's state), so asking for a save is refused up front, naming the field, rather than
 * failing at the node's shutdown when nobody is watching.
 */
final class SaveSettingsValidator {
    private SaveSettingsValidator() {
    }

    static void check(DomainConfigSpec spec, List<FieldError> errors) {
        if (spec.getAdapters().isEmpty()) {
            return;
        }
        if (spec.getOnHostShutdown() == HostShutdownPolicy.Save) {
            errors.add(new FieldError("spec.onHostShutdown", "Save cannot be used with spec.adapters: a passed-through"
                + " device's state cannot be saved; use Halt, or remove the adapters"));
        }
        if (spec.getDesiredState() == DesiredState.Suspended) {
            errors.add(new FieldError("spec.desiredState", "Suspended cannot be used with spec.adapters: a passed-through"
                + " device's state cannot be saved; use Paused, or set activate: false"));
        }
    }
}
