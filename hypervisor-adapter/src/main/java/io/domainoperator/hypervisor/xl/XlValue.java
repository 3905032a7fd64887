package io.domainoperator.hypervisor.xl;

import java.util.List;

/**
 * A value in an xl config file, as libxlutil's grammar has them: a string, a number, or a list of either.
 * libxlutil keeps numbers as text and converts on read, so a number and a string are both "atoms".
 */
public sealed interface XlValue {

    /** A quoted string. */
    record Str(String value) implements XlValue {
        public Str {
            java.util.Objects.requireNonNull(value, "value");
        }
    }

    /** An unquoted number, e.g. {@code memory = 512}. */
    record Num(long value) implements XlValue {
    }

    /** {@code [ 'a', 'b' ]}: a list of atoms (xl files never nest lists for the keys we use). */
    record Lst(List<XlValue> items) implements XlValue {
        public Lst {
            items = List.copyOf(items);
            for (XlValue item : items) {
                if (item instanceof Lst) {
                    throw new IllegalArgumentException("nested lists are not supported");
                }
            }
        }

        public static Lst ofStrings(List<String> values) {
            return new Lst(values.stream().<XlValue>map(Str::new).toList());
        }
    }

    static Str str(String value) {
        return new Str(value);
    }

    static Num num(long value) {
        return new Num(value);
    }

    /** The text libxlutil's {@code xlu_cfg_get_string} returns for an atom (numbers read as their digits). */
    default String atomText() {
        return switch (this) {
            case Str s -> s.value();
            case Num n -> Long.toString(n.value());
            case Lst l -> throw new IllegalStateException("a list is not an atom");
        };
    }
}
