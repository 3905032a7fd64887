package io.domainoperator.e2e.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import io.domainoperator.e2e.harness.chart.ChartFiles;

/**
 * The chart ships the CRDs in helm's {@code crds/} directory as copies of the generated {@code crds/*.yml}
 * (helm installs them before the templates and, on purpose, never deletes them: uninstalling the chart must
 * not delete every DomainConfig, i.e. every VM). This keeps the copies byte-identical to the generator's output.
 */
class ChartCrdsTest {

    private static final String FIX = "copy them again: cp crds/*.yml helm/domain-operator/crds/";

    @Test
    void chartCrdsAreTheGeneratedCrdsByteForByte() throws IOException {
        List<Path> generated = yml(ChartFiles.repoCrds());
        Path chartCrds = ChartFiles.chart().resolve("crds");

        assertThat(generated).as("generated CRDs in crds/").isNotEmpty();
        assertThat(names(yml(chartCrds))).as("the chart's crds/ holds exactly the generated CRDs; " + FIX)
                .containsExactlyElementsOf(names(generated));
        for (Path crd : generated) {
            assertThat(Files.readAllBytes(chartCrds.resolve(crd.getFileName())))
                    .as(chartCrds.resolve(crd.getFileName()) + " differs from " + crd + "; " + FIX)
                    .isEqualTo(Files.readAllBytes(crd));
        }
    }

    private static List<Path> yml(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    private static List<String> names(List<Path> files) {
        return files.stream().map(f -> f.getFileName().toString()).toList();
    }
}
