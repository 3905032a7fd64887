package io.domainoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.AnnotatedParameterizedType;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The schema's own constraints, checked from the very annotations the CRD generator turns into the schema
 * ({@code @Min}, {@code @Max}, {@code @Pattern}, {@code @Size}, also on list items), so the validator and the
 * schema cannot drift: a field added with a bound is checked here without a line of code. On top, what no
 * schema here says: no string anywhere may hold a control character (a newline in a value would forge a log
 * line or split an xl file).
 */
final class SchemaConstraints {
    private static final Map<Class<?>, List<Property>> PROPERTIES = new ConcurrentHashMap<>();
    private static final Map<String, java.util.regex.Pattern> REGEX = new ConcurrentHashMap<>();

    private SchemaConstraints() {
    }

    /**
     * Every violation under {@code at} (e.g. "spec"), skipping fields already in {@code reported} (the
     * validator's own checks say more about those).
     */
    static void check(Object value, String at, Set<String> reported, List<FieldError> errors) {
        if (value == null) {
            return;
        }
        for (Property p : PROPERTIES.computeIfAbsent(value.getClass(), SchemaConstraints::properties)) {
            Object v = p.get(value);
            String path = at + "." + p.name;
            if (v instanceof List<?> list) {
                for (int i = 0; i < list.size(); i++) {
                    checkValue(list.get(i), path + "[" + i + "]", p.item, reported, errors);
                }
            } else {
                checkValue(v, path, p.field, reported, errors);
            }
        }
    }

    private static void checkValue(Object v, String path, AnnotatedElement rules, Set<String> reported, List<FieldError> errors) {
        if (v == null || reported.contains(path)) {
            return;
        }
        if (v instanceof Number n) {
            checkBounds(n, path, rules, errors);
        } else if (v instanceof String s) {
            checkString(s, path, rules, errors);
        } else if (isOurs(v.getClass())) {
            check(v, path, reported, errors);
        }
    }

    private static void checkBounds(Number n, String path, AnnotatedElement rules, List<FieldError> errors) {
        Min min = rules == null ? null : rules.getAnnotation(Min.class);
        Max max = rules == null ? null : rules.getAnnotation(Max.class);
        double d = n.doubleValue();
        boolean low = min != null && (min.inclusive() ? d < min.value() : d <= min.value());
        boolean high = max != null && (max.inclusive() ? d > max.value() : d >= max.value());
        if (low || high) {
            errors.add(new FieldError(path, "must be " + range(min, max) + ", is " + n));
        }
    }

    private static String range(Min min, Max max) {
        if (min != null && max != null) {
            return "between " + number(min.value()) + " and " + number(max.value());
        }
        return min != null ? "at least " + number(min.value()) : "at most " + number(max.value());
    }

    private static String number(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    private static void checkString(String s, String path, AnnotatedElement rules, List<FieldError> errors) {
        int control = Untrusted.firstControl(s);
        if (control >= 0) {
            errors.add(new FieldError(path, "holds a control character (U+" + String.format("%04X", (int) s.charAt(control))
                + " at position " + control + ") in " + Untrusted.quote(s) + "; remove it (newlines and tabs are not allowed in values)"));
            return;
        }
        Size size = rules == null ? null : rules.getAnnotation(Size.class);
        if (size != null && (s.length() < size.min() || s.length() > size.max())) {
            errors.add(new FieldError(path, "must be " + size.min() + " to " + size.max() + " characters long, is " + s.length()));
            return;
        }
        Pattern pattern = rules == null ? null : rules.getAnnotation(Pattern.class);
        if (pattern != null && !REGEX.computeIfAbsent(pattern.value(), java.util.regex.Pattern::compile).matcher(s).matches()) {
            errors.add(new FieldError(path, Untrusted.quote(s) + " does not match the pattern " + pattern.value()));
        }
    }

    private static boolean isOurs(Class<?> type) {
        return type.getPackage() == SchemaConstraints.class.getPackage() && !type.isEnum();
    }

    private static List<Property> properties(Class<?> type) {
        List<Property> props = new ArrayList<>();
        for (Field f : type.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) || f.isAnnotationPresent(JsonIgnore.class) || f.isSynthetic()) {
                continue;
            }
            f.setAccessible(true);
            JsonProperty named = f.getAnnotation(JsonProperty.class);
            String name = named != null && !named.value().isEmpty() ? named.value() : f.getName();
            AnnotatedElement item = f.getAnnotatedType() instanceof AnnotatedParameterizedType list
                ? list.getAnnotatedActualTypeArguments()[0] : null;
            props.add(new Property(name, f, item));
        }
        return List.copyOf(props);
    }

    /** One JSON property: its field, and for a list the annotated element type (the items' rules). */
    private record Property(String name, Field field, AnnotatedElement item) {
        Object get(Object owner) {
            try {
                return field.get(owner);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
