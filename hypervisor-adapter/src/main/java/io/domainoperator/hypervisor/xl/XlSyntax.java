package io.domainoperator.hypervisor.xl;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Writes xl config text. Strings are quoted and their backslashes and quotes escaped the way libxlutil's lexer
 * reads them back, so no value can end its string early and start a new key or list item. What cannot be
 * written safely (control characters such as a newline, non-ASCII text) is refused rather than escaped:
 * libxlutil could read {@code \n} back, but the sub-parsers for disk, vif and pci specs and every human reading
 * the file would be fooled.
 */
public final class XlSyntax {
    /** libxlutil's identifiers. */
    static final Pattern KEY = Pattern.compile("[a-z_][a-z0-9_.]*");

    private XlSyntax() {
    }

    /** Why value cannot be written into an xl file, or empty when it can. */
    public static Optional<String> unwritable(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return Optional.of("contains the control character U+%04X at offset %d; xl files cannot carry it".formatted((int) c, i));
            }
            if (c > 0x7e) {
                return Optional.of("contains the non-ASCII character U+%04X at offset %d; use plain ASCII".formatted((int) c, i));
            }
        }
        return Optional.empty();
    }

    /** The whole file, one {@code key = value} line per setting. */
    public static String write(XlConfig config) {
        StringBuilder out = new StringBuilder();
        for (XlConfig.Setting setting : config.settings()) {
            if (!KEY.matcher(setting.key()).matches()) {
                throw new IllegalArgumentException("'" + setting.key() + "' is not an xl key");
            }
            out.append(setting.key()).append(" = ").append(value(setting.key(), setting.value())).append('\n');
        }
        return out.toString();
    }

    static String value(String key, XlValue value) {
        return switch (value) {
            case XlValue.Num n -> n.literal();
            case XlValue.Str s -> quote(key, s.value(), '"');
            case XlValue.Lst l -> {
                StringBuilder list = new StringBuilder("[");
                for (int i = 0; i < l.items().size(); i++) {
                    XlValue item = l.items().get(i);
                    list.append(i == 0 ? "" : ", ");
                    list.append(item instanceof XlValue.Str s ? quote(key, s.value(), '\'') : value(key, item));
                }
                yield list.append(']').toString();
            }
        };
    }

    /** EVE writes scalars in double quotes and list items in single quotes; both read back the same. */
    static String quote(String key, String value, char quote) {
        unwritable(value).ifPresent(problem -> {
            throw new IllegalArgumentException("value of '" + key + "' " + problem);
        });
        StringBuilder out = new StringBuilder(value.length() + 2).append(quote);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' || c == quote) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.append(quote).toString();
    }
}
