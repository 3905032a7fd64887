package io.domainoperator.api.v1alpha1;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A manifest that does not even map onto the API types (an enum value out of its set, text where a number
 * belongs, an unknown field), said as the validator says things: the field's path and what to write instead,
 * never Jackson's own text with Java type names.
 */
public final class JsonFieldErrors {
    private JsonFieldErrors() {
    }

    public static FieldError of(JsonMappingException e) {
        String field = path(e.getPath());
        if (e instanceof UnrecognizedPropertyException u) {
            Collection<Object> known = u.getKnownPropertyIds() == null ? List.of() : u.getKnownPropertyIds();
            return new FieldError(field, "is not a field here; known fields: "
                + known.stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")));
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            Class<?> type = m.getTargetType();
            String given = e instanceof InvalidFormatException f ? Untrusted.quote(f.getValue()) + " is not " : "must be ";
            return new FieldError(field, given + expected(type));
        }
        String first = String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse("");
        return new FieldError(field, "cannot be read: " + Untrusted.quote(first));
    }

    /** spec.disks[0].format, from Jackson's reference chain (the root object is left out). */
    static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : refs) {
            if (ref.getFieldName() != null) {
                out.append(out.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.isEmpty() ? "(document)" : out.toString();
    }

    private static String expected(Class<?> type) {
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(String::valueOf).collect(Collectors.joining(", "));
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string (quote it)";
        }
        if (List.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "a mapping of keys to values";
        }
        return "a mapping of fields (" + type.getSimpleName() + ")";
    }
}
