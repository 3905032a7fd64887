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
    private final String text;
    private int pos;
    private int line = 1;
    private int lineStart;

    private XlConfigParser(String text) {
        this.text = text;
    }

    public static XlConfig parse(String text) throws XlConfigException {
        return new XlConfigParser(text).file();
    }

    private XlConfig file() throws XlConfigException {
        List<XlConfig.Setting> settings = new ArrayList<>();
        Map<String, Integer> firstLine = new HashMap<>();
        while (true) {
            skipBlanks();
            if (atEnd()) {
                return new XlConfig(settings);
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
            if (lookingAt("+=")) {
                throw error("'+=' (append) is not supported; write the whole value of '" + key + "' in one assignment");
            }
            if (atEnd() || peek() != '=') {
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
            Integer previous = firstLine.putIfAbsent(key, keyLine);
            if (previous != null) {
                throw new XlConfigException(keyLine, keyColumn, "'" + key + "' is already set on line " + previous
                    + "; remove one of the two");
            }
            settings.add(new XlConfig.Setting(key, value, keyLine));
        }
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
            return new XlValue.Num(number());
        }
        if (c == '[') {
            if (!listAllowed) {
                throw error("lists inside lists are not supported");
            }
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
            items.add(value(false));
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

    private long number() throws XlConfigException {
        int startColumn = column();
        int start = pos;
        int radix = 10;
        if (lookingAt("0x") || lookingAt("0X")) {
            pos += 2;
            radix = 16;
        }
        int digitsStart = pos;
        while (!atEnd() && (isAsciiLetterOrDigit(peek()) || peek() == '.')) {
            advance();
        }
        String digits = text.substring(digitsStart, pos);
        try {
            long value = Long.parseLong(digits, radix);
            if (value < 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new XlConfigException(line, startColumn, "'" + text.substring(start, pos)
                + "' is not a number xl reads (decimal or 0x hex integer below 2^63)");
        }
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
