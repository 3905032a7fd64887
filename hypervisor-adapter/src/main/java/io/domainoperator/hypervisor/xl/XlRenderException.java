package io.domainoperator.hypervisor.xl;

import io.domainoperator.api.v1alpha1.FieldError;
import java.util.List;
import java.util.stream.Collectors;

/** A domain definition cannot be written as an xl file; each error names the field and how to fix it. */
public class XlRenderException extends IllegalArgumentException {
    private final List<FieldError> errors;

    public XlRenderException(List<FieldError> errors) {
        super(errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
