package io.domainoperator.hypervisor.xl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The treatment of every key of xl.cfg(5) (Xen 4.17), read from {@code xl-keys.tsv} beside this class: the one
 * table that the importer, the renderer, the documentation (docs/xl-keys.md) and the round-trip property test
 * all follow.
 */
public final class XlKeys {
    /** What import-xl does with a key. */
    public enum Treatment {
        /** A DomainConfig field holds it. */
        MAPPED,
        /** Kept verbatim in spec.xen.passThrough and written back. */
        CARRIED,
        /** Left out with a warning saying why that is harmless. */
        DROPPED,
        /** The import fails naming the line and the key. */
        REFUSED
    }

    /** The shape of a key's value, for generating test files and reading values back with libxlutil. */
    public enum Kind { STR, NUM, BOOL, LIST, NESTED, ANY }

    /**
     * @param detail for mapped keys the field, for carried keys what it is, for dropped and refused keys why
     */
    public record Key(String name, Treatment treatment, Kind kind, String detail) {
    }

    private static final Map<String, Key> KEYS = load();

    private XlKeys() {
    }

    /** Every key in the table's order. */
    public static Map<String, Key> all() {
        return KEYS;
    }

    /** A key of xl.cfg(5), or empty for one xl does not know (xl ignores those). */
    public static Optional<Key> find(String name) {
        return Optional.ofNullable(KEYS.get(name));
    }

    public static boolean isCarried(String name) {
        return find(name).map(k -> k.treatment() == Treatment.CARRIED).orElse(false);
    }

    private static Map<String, Key> load() {
        try (InputStream in = XlKeys.class.getResourceAsStream("xl-keys.tsv")) {
            if (in == null) {
                throw new IllegalStateException("xl-keys.tsv is missing from the classpath");
            }
            Map<String, Key> keys = new LinkedHashMap<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] columns = line.split("\t");
                if (columns.length != 4) {
                    throw new IllegalStateException("xl-keys.tsv: '" + line + "' does not have 4 tab-separated columns");
                }
                Key key = new Key(columns[0], Treatment.valueOf(columns[1].toUpperCase(java.util.Locale.ROOT)),
                    Kind.valueOf(columns[2].toUpperCase(java.util.Locale.ROOT)), columns[3]);
                if (keys.put(key.name(), key) != null) {
                    throw new IllegalStateException("xl-keys.tsv lists " + key.name() + " twice");
                }
            }
            return Collections.unmodifiableMap(keys);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
