package io.domainoperator.api.v1alpha1;

/**
 * User-supplied text made safe to show in a log line, an event or a status message: quoted, with control
 * characters, quotes and backslashes escaped, so a value can neither forge a log line nor hide what it holds.
 * One helper, used wherever a value a user typed is shown back.
 */
public final class Untrusted {
    /** Longer values are cut, so one field cannot flood a log. */
    static final int MAX_SHOWN = 200;

    private Untrusted() {
    }

    /** {@code 'value'} with escapes, or {@code null} for a null value. */
    public static String quote(Object value) {
        if (value == null) {
            return "null";
        }
        String s = value.toString();
        StringBuilder out = new StringBuilder(Math.min(s.length(), MAX_SHOWN) + 2).append('\'');
        int shown = 0;
        for (int i = 0; i < s.length(); i++) {
            if (shown++ == MAX_SHOWN) {
                out.append("...(").append(s.length()).append(" characters)");
                break;
            }
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\\' -> out.append("\\\\");
                case '\'' -> out.append("\\'");
                default -> {
                    if (isControl(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('\'').toString();
    }

    /**
     * Text that may embed user values, with control characters escaped (a newline as {@code \n}, others as u-escapes) and
     * nothing else changed: the last gate before a log line or a terminal, so no value can start a new line or
     * move the cursor.
     */
    public static String escapeControls(String text) {
        if (text == null || firstControl(text) < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (isControl(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /** C0 and C1 controls, DEL, and the Unicode line/paragraph separators and bidi overrides that reorder text. */
    public static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029'
            || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069');
    }

    /** The index of the first control character, or -1. */
    public static int firstControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (isControl(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}
