package io.domainoperator.hypervisor.sim;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The file a simulated domain is kept in: its name percent-encoded plus {@code .json}. Letters, digits, {@code -},
 * {@code _} and (past the first character) {@code .} stay as they are, so {@code web} is {@code web.json}; every other
 * byte of its UTF-8 becomes {@code %XX}, so no name gives a path separator, a leading dot (the temp files' mark, and
 * {@code .}/{@code ..}) or the id counter's name, and each name its own file. A name whose encoding would not fit a
 * file name keeps the first 150 characters of it and a hash of the whole name; the file holds the name itself anyway.
 */
final class DomainFileNames {
    private static final int MAX = 200;
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private DomainFileNames() {
    }

    static String of(String domain) {
        if (domain.isEmpty()) {
            return "%.json"; // no encoded name is a lone %, and a name that cannot be written would stop every write
        }
        byte[] bytes = domain.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length + 5);
        for (int i = 0; i < bytes.length; i++) {
            int c = bytes[i] & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' && i > 0) {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        if (out.length() > MAX) {
            out.setLength(150);
            out.append('~').append(HexFormat.of().formatHex(sha256(bytes), 0, 16));
        }
        return out.append(".json").toString();
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
