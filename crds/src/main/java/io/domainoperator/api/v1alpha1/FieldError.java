package io.domainoperator.api.v1alpha1;

/**
 * One problem with a manifest: the JSON path of the field ({@code spec.disks[1].target}) and what is wrong
 * and how to fix it.
 */
public record FieldError(String field, String message) {
    @Override
    public String toString() {
        return field + ": " + message;
    }
}
