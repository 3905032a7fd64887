package io.domainoperator.api.v1alpha1;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/** A DomainMigration's spec against its schema and the rules the schema cannot say, with the field and the fix. */
public final class DomainMigrationValidator {
    private DomainMigrationValidator() {
    }

    public static List<FieldError> validate(DomainMigrationSpec spec) {
        List<FieldError> errors = new ArrayList<>();
        if (spec == null) {
            errors.add(new FieldError("spec", "is missing; a DomainMigration needs spec.domainConfig, the DomainConfig to move"));
            return errors;
        }
        if (spec.getDomainConfig() == null || spec.getDomainConfig().isEmpty()) {
            errors.add(new FieldError("spec.domainConfig", "is required: the name of the DomainConfig to move, in this namespace"));
        }
        SchemaConstraints.check(spec, "spec", new HashSet<>(), errors);
        return errors;
    }
}
