package io.domainoperator.api.v1alpha1;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/** A PhysicalIOAdapter's spec against its schema, for manifests no API server has seen (standalone mode). */
public final class PhysicalIOAdapterValidator {
    private PhysicalIOAdapterValidator() {
    }

    public static List<FieldError> validate(PhysicalIOAdapterSpec spec) {
        List<FieldError> errors = new ArrayList<>();
        if (spec == null) {
            errors.add(new FieldError("spec", "is missing; a PhysicalIOAdapter needs at least nodeName and type"));
            return errors;
        }
        if (spec.getNodeName() == null) {
            errors.add(new FieldError("spec.nodeName", "is required: the node the device is in"));
        }
        if (spec.getType() == null) {
            errors.add(new FieldError("spec.type", "is required: NetEth, USB, Other, ... (kubectl explain physicalioadapter.spec.type)"));
        }
        SchemaConstraints.check(spec, "spec", new HashSet<>(), errors);
        return errors;
    }
}
