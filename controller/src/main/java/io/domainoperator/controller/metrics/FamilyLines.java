package io.domainoperator.controller.metrics;

import io.prometheus.metrics.model.snapshots.Labels;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One per-domain family as the bytes of its exposition lines (Prometheus text format 0.0.4), one line per domain,
 * rendered when the domain's value changes and written as held by every scrape. At 1,000 domains rendering the six
 * families through the client library's text writer made ~17 MB of garbage and most of the time of each scrape
 * (a young collection every few scrapes, the P99); written from held lines a scrape allocates nothing per domain.
 * Lines are immutable arrays replaced whole, so a scrape never waits for a poll and never sees half a line.
 */
final class FamilyLines {
    private final String series;
    private final byte[] header;
    private final Map<String, byte[]> lines = new ConcurrentHashMap<>();

    /**
     * @param series the name on each line (a counter's with its {@code _total})
     * @param type   {@code gauge} or {@code counter}
     */
    FamilyLines(String series, String help, String type) {
        this.series = series;
        this.header = ("# HELP " + series + " " + escapeHelp(help) + "\n# TYPE " + series + " " + type + "\n")
            .getBytes(StandardCharsets.UTF_8);
    }

    /** The domain's line now says {@code value}. */
    void put(String key, Labels labels, double value) {
        lines.put(key, line(series, labels, value));
    }

    void remove(String key) {
        lines.remove(key);
    }

    boolean isEmpty() {
        return lines.isEmpty();
    }

    /** HELP, TYPE and every domain's line; nothing at all when no domain has one (as the text writer does). */
    void writeTo(OutputStream out) throws IOException {
        if (lines.isEmpty()) {
            return;
        }
        out.write(header);
        for (byte[] line : lines.values()) {
            out.write(line);
        }
    }

    /** {@code series{name="value",...} value\n}, label values escaped, the value as the client library writes it. */
    static byte[] line(String series, Labels labels, double value) {
        StringBuilder b = new StringBuilder(series.length() + 24 * labels.size() + 24).append(series);
        if (!labels.isEmpty()) {
            b.append('{');
            for (int i = 0; i < labels.size(); i++) {
                if (i > 0) {
                    b.append(',');
                }
                b.append(labels.getPrometheusName(i)).append("=\"");
                escapeLabelValue(b, labels.getValue(i));
                b.append('"');
            }
            b.append('}');
        }
        b.append(' ').append(value(value)).append('\n');
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The text format's escapes in a label value: backslash, double quote and line feed. */
    static void escapeLabelValue(StringBuilder b, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '"' -> b.append("\\\"");
                case '\n' -> b.append("\\n");
                default -> b.append(c);
            }
        }
    }

    private static String escapeHelp(String help) {
        return help.replace("\\", "\\\\").replace("\n", "\\n");
    }

    private static String value(double v) {
        if (v == Double.POSITIVE_INFINITY) {
            return "+Inf";
        }
        return v == Double.NEGATIVE_INFINITY ? "-Inf" : Double.toString(v);
    }
}
