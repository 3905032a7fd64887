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

    /**
     * An unquoted number, e.g. {@code memory = 512} or {@code 0x200}.
     *
     * @param literal as written, so that a carried {@code 0x200} is written back as {@code 0x200}
     */
    record Num(long value, String literal) implements XlValue {
        public Num(long value) {
            this(value, Long.toString(value));
        }
    }

    /** {@code [ 'a', 'b' ]}: a list of atoms, or of lists ({@code vnuma}, {@code vsnd} nest them). */
    record Lst(List<XlValue> items) implements XlValue {
        public Lst {
            items = List.copyOf(items);
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
            case Num n -> n.literal();
            case Lst l -> throw new IllegalStateException("a list is not an atom");
        };
    }
}
