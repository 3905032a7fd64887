package io.domainoperator.hypervisor.xl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads xl (and the xl-compatible subset of xm) config files with libxlutil's grammar: {@code key = value}
 * statements ended by a newline or {@code ;}, values that are double- or single-quoted strings with backslash
 * escapes, decimal or {@code 0x} numbers, or lists in brackets that may run over several lines; {@code #}
 * starts a comment. Every error names the line and column; the first error stops the parse, so a caller never
 * sees half a file.
 */
public final class XlConfigParser {
    /**
     * A parsed file and what in it xl would not use as written: an assignment that a later one of the same key
     * overrides (libxlutil keeps the last).
     */
    public record Parsed(XlConfig config, List<XlConfigException> warnings) {
        public Parsed {
            warnings = List.copyOf(warnings);
        }
    }

    private final String text;
    private final List<XlConfigException> warnings = new ArrayList<>();
    private int pos;
    private int line = 1;
    private int lineStart;

    private XlConfigParser(String text) {
        this.text = text;
    }

    public static XlConfig parse(String text) throws XlConfigException {
        return parseWithWarnings(text).config();
    }

    /** As libxlutil reads it: a repeated key keeps its last value, {@code +=} appends to the value so far. */
    public static Parsed parseWithWarnings(String text) throws XlConfigException {
        XlConfigParser parser = new XlConfigParser(text);
        XlConfig config = parser.file();
        return new Parsed(config, parser.warnings);
    }

    private XlConfig file() throws XlConfigException {
        Map<String, XlConfig.Setting> settings = new java.util.LinkedHashMap<>();
        while (true) {
            skipBlanks();
            if (atEnd()) {
                return new XlConfig(new ArrayList<>(settings.values()));
            }
            char c = peek();
            if (c == '\n' || c == ';') {
                advance();
                continue;
            }
            int keyLine = line;
            int keyColumn = column();
            String key = identifier();
            skipBlanks();
            boolean append = lookingAt("+=");
            if (append) {
                advance();
            } else if (atEnd() || peek() != '=') {
                throw error("expected '=' after '" + key + "'");
            }
            advance();
            skipBlanks();
            XlValue value = value(true);
            skipBlanks();
            if (!atEnd() && peek() != '\n' && peek() != ';') {
                throw error("unexpected " + describe(peek()) + " after the value of '" + key
                    + "'; one setting per line (or separate them with ';')");
            }
            XlConfig.Setting previous = settings.remove(key);
            if (previous != null && append) {
                value = appended(previous, value, keyLine, keyColumn);
            } else if (previous != null) {
                warnings.add(new XlConfigException(previous.line(), 0, "'" + key + "' is set again on line " + keyLine
                    + "; xl uses only the last value, so this one is dropped"));
            }
            settings.put(key, new XlConfig.Setting(key, value, keyLine));
        }
    }

    /** libxlutil's {@code +=}: strings are concatenated, lists joined; a string and a list cannot be added. */
    private static XlValue appended(XlConfig.Setting previous, XlValue added, int line, int column) throws XlConfigException {
        if (previous.value() instanceof XlValue.Lst before && added instanceof XlValue.Lst after) {
            List<XlValue> items = new ArrayList<>(before.items());
            items.addAll(after.items());
            return new XlValue.Lst(items);
        }
        if (!(previous.value() instanceof XlValue.Lst) && !(added instanceof XlValue.Lst)) {
            return new XlValue.Str(previous.value().atomText() + added.atomText());
        }
        throw new XlConfigException(line, column, "'+=' cannot add a [list] to a string or a string to a [list] (see line "
            + previous.line() + ")");
    }

    private String identifier() throws XlConfigException {
        int start = pos;
        // libxlutil's identifiers are lower case: [a-z_][._0-9a-z]*
        if (!atEnd() && peek() >= 'A' && peek() <= 'Z') {
            throw error("keys are lower case in xl files; write '" + word().toLowerCase(java.util.Locale.ROOT) + "'");
        }
        if (atEnd() || !(peek() >= 'a' && peek() <= 'z' || peek() == '_')) {
            throw error(atEnd() ? "expected a key" : "expected a key (lower-case letters, digits, '_', '.') but found "
                + describe(peek()));
        }
        while (!atEnd() && (peek() >= 'a' && peek() <= 'z' || peek() >= '0' && peek() <= '9' || peek() == '_' || peek() == '.')) {
            advance();
        }
        if (!atEnd() && peek() >= 'A' && peek() <= 'Z') {
            throw error("keys are lower case in xl files; write '" + (text.substring(start, pos) + word()).toLowerCase(java.util.Locale.ROOT) + "'");
        }
        return text.substring(start, pos);
    }

    private XlValue value(boolean listAllowed) throws XlConfigException {
        if (atEnd() || peek() == '\n' || peek() == ';') {
            throw error("expected a value: a quoted string, a number or a [list]");
        }
        char c = peek();
        if (c == '"' || c == '\'') {
            return new XlValue.Str(string(c));
        }
        if (c >= '0' && c <= '9') {
            return number();
        }
        if (c == '[') {
            return list();
        }
        if (c == '-') {
            throw error("negative numbers are not valid in xl files");
        }
        throw error("expected a value (a quoted string, a number or a [list]) but found " + describe(c)
            + (Character.isLetter(c) ? "; quote strings, e.g. \"" + word() + "\"" : ""));
    }

    private XlValue.Lst list() throws XlConfigException {
        int openLine = line;
        advance(); // '['
        List<XlValue> items = new ArrayList<>();
        skipBlanksAndNewlines(openLine);
        while (peek() != ']') {
            items.add(value(true));
            skipBlanksAndNewlines(openLine);
            if (peek() == ',') {
                advance();
                skipBlanksAndNewlines(openLine);
            } else if (peek() != ']') {
                throw error("expected ',' or ']' in the list opened on line " + openLine + " but found " + describe(peek()));
            }
        }
        advance(); // ']'
        return new XlValue.Lst(items);
    }

    private String string(char quote) throws XlConfigException {
        int startLine = line;
        int startColumn = column();
        advance();
        StringBuilder out = new StringBuilder();
        while (true) {
            if (atEnd() || peek() == '\n') {
                throw new XlConfigException(startLine, startColumn, "string is not closed on its line; add the missing " + quote);
            }
            char c = advance();
            if (c == quote) {
                return out.toString();
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (atEnd() || peek() == '\n') {
                throw error("a backslash must be followed by the character it escapes");
            }
            char e = advance();
            switch (e) {
                case '\\', '"', '\'' -> out.append(e);
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'x' -> out.append((char) digits(16, 2, 2, "\\x needs two hex digits"));
                default -> {
                    if (e >= '0' && e <= '7') {
                        pos--;
                        out.append((char) digits(8, 1, 3, "octal escape"));
                    } else {
                        throw new XlConfigException(line, column() - 2,
                            "'\\" + e + "' is not an escape xl knows; write '\\\\' for a backslash");
                    }
                }
            }
        }
    }

    private int digits(int radix, int min, int max, String what) throws XlConfigException {
        int value = 0;
        int count = 0;
        while (count < max && !atEnd() && Character.digit(peek(), radix) >= 0 && peek() < 0x80) {
            value = value * radix + Character.digit(advance(), radix);
            count++;
        }
        if (count < min) {
            throw error(what);
        }
        if (value > 0xff) {
            throw error("escape gives a value above 255");
        }
        return value;
    }

    /**
     * libxlutil's NUMBER token, {@code [0-9][0-9a-fx]*}: a decimal or 0x hex number, or (for libxlutil just an
     * unquoted string) some other run of those characters, which is kept as a string.
     */
    private XlValue number() throws XlConfigException {
        int startColumn = column();
        int start = pos;
        while (!atEnd() && (peek() >= '0' && peek() <= '9' || peek() >= 'a' && peek() <= 'f' || peek() == 'x')) {
            advance();
        }
        if (!atEnd() && (isAsciiLetterOrDigit(peek()) || peek() == '.')) {
            throw new XlConfigException(line, startColumn, "'" + text.substring(start, pos) + word()
                + "' is not a number xl reads (decimal or 0x hex); quote it if it is a string");
        }
        String literal = text.substring(start, pos);
        try {
            if (literal.matches("[0-9]{1,18}")) {
                return new XlValue.Num(Long.parseLong(literal), literal);
            }
            if (literal.matches("0x[0-9a-f]{1,15}")) {
                return new XlValue.Num(Long.parseLong(literal.substring(2), 16), literal);
            }
        } catch (NumberFormatException e) {
            // falls through: libxlutil keeps it as text, and so do we
        }
        return new XlValue.Str(literal);
    }

    private void skipBlanks() {
        while (!atEnd()) {
            char c = peek();
            if (c == ' ' || c == '\t' || c == '\r') {
                advance();
            } else if (c == '#') {
                while (!atEnd() && peek() != '\n') {
                    advance();
                }
            } else {
                return;
            }
        }
    }

    private void skipBlanksAndNewlines(int openLine) throws XlConfigException {
        while (true) {
            skipBlanks();
            if (atEnd()) {
                throw error("the list opened on line " + openLine + " is not closed; add ']'");
            }
            if (peek() != '\n') {
                return;
            }
            advance();
        }
    }

    private String word() {
        int end = pos;
        while (end < text.length() && end - pos < 32 && isAsciiLetterOrDigit(text.charAt(end))) {
            end++;
        }
        return text.substring(pos, end);
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return c < 0x80 && Character.isLetterOrDigit(c);
    }

    private static String describe(char c) {
        if (c == '\n') {
            return "the end of the line";
        }
        if (c < 0x20 || c == 0x7f || c > 0x7e) {
            return "the character U+%04X".formatted((int) c);
        }
        return "'" + c + "'";
    }

    private XlConfigException error(String problem) {
        return new XlConfigException(line, column(), problem);
    }

    private boolean lookingAt(String s) {
        return text.startsWith(s, pos);
    }

    private boolean atEnd() {
        return pos >= text.length();
    }

    private char peek() {
        return text.charAt(pos);
    }

    private char advance() {
        char c = text.charAt(pos++);
        if (c == '\n') {
            line++;
            lineStart = pos;
        }
        return c;
    }

    private int column() {
        return pos - lineStart + 1;
    }
}
