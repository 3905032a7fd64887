package io.domainoperator.controller.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.snapshots.Labels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A family's held lines: the text format's line, label escapes, replaced and removed lines, nothing when empty. */
class FamilyLinesTest {
    private static String text(FamilyLines family) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        family.writeTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aLineIsNameLabelsAndValueAsTheClientLibraryWritesThem() {
        Labels labels = Labels.of("domain_namespace", "ns", "name", "d1", "node", "n1");
        assertThat(new String(FamilyLines.line("x_total", labels, 1.5), StandardCharsets.UTF_8))
            .isEqualTo("x_total{domain_namespace=\"ns\",name=\"d1\",node=\"n1\"} 1.5\n");
        assertThat(new String(FamilyLines.line("x", Labels.EMPTY, 2), StandardCharsets.UTF_8)).isEqualTo("x 2.0\n");
        assertThat(new String(FamilyLines.line("x", Labels.EMPTY, 1L << 30), StandardCharsets.UTF_8)).isEqualTo("x 1.073741824E9\n");
        assertThat(new String(FamilyLines.line("x", Labels.EMPTY, Double.POSITIVE_INFINITY), StandardCharsets.UTF_8))
            .isEqualTo("x +Inf\n");
    }

    @Test
    void labelValuesEscapeBackslashQuoteAndLineFeed() {
        Labels labels = Labels.of("node", "a\\b\"c\nd", "zone", "é");
        assertThat(new String(FamilyLines.line("x", labels, 1), StandardCharsets.UTF_8))
            .isEqualTo("x{node=\"a\\\\b\\\"c\\nd\",zone=\"é\"} 1.0\n");
    }

    @Test
    void aChangedValueReplacesTheLineAndARemovedDomainLeavesNoLine() throws IOException {
        FamilyLines family = new FamilyLines("d_vcpus", "Online vCPUs\\ with\nlines", "gauge");
        assertThat(text(family)).as("no domain: not even HELP and TYPE").isEmpty();

        family.put("ns/a", Labels.of("name", "a"), 1);
        family.put("ns/b", Labels.of("name", "b"), 2);
        family.put("ns/a", Labels.of("name", "a"), 4);
        assertThat(text(family).lines()).containsExactlyInAnyOrder("# HELP d_vcpus Online vCPUs\\\\ with\\nlines",
            "# TYPE d_vcpus gauge", "d_vcpus{name=\"a\"} 4.0", "d_vcpus{name=\"b\"} 2.0");
        assertThat(text(family)).as("HELP and TYPE first").startsWith("# HELP d_vcpus ");

        family.remove("ns/a");
        assertThat(text(family).lines()).containsExactlyInAnyOrder("# HELP d_vcpus Online vCPUs\\\\ with\\nlines",
            "# TYPE d_vcpus gauge", "d_vcpus{name=\"b\"} 2.0");
        family.remove("ns/b");
        assertThat(text(family)).isEmpty();
    }
}
