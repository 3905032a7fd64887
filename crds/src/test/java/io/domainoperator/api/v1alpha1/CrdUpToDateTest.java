package io.domainoperator.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The CRD YAML under crds/ is what the build generates from the Java model; regenerate, don't hand-edit. */
class CrdUpToDateTest {

    /**
     * The API server compiles schema patterns with Go's regexp, which refuses repeat counts above 1000
     * ({@code {0,2048}} made a real API server reject the whole CRD). Lengths belong in maxLength.
     */
    @ParameterizedTest
    @ValueSource(strings = {"domainconfigs.domainoperator.io-v1.yml", "physicalioadapters.domainoperator.io-v1.yml",
        "domainmigrations.domainoperator.io-v1.yml"})
    void patternsStayWithinGoRegexpLimits(String file) throws IOException {
        var counts = java.util.regex.Pattern.compile("\\{(\\d+)(,(\\d*))?\\}").matcher(Files.readString(Manifests.committedCrdDir().resolve(file)));
        while (counts.find()) {
            assertThat(Integer.parseInt(counts.group(1))).as("repeat count in %s", counts.group()).isLessThanOrEqualTo(1000);
            if (counts.group(3) != null && !counts.group(3).isEmpty()) {
                assertThat(Integer.parseInt(counts.group(3))).as("repeat count in %s", counts.group()).isLessThanOrEqualTo(1000);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"domainconfigs.domainoperator.io-v1.yml", "physicalioadapters.domainoperator.io-v1.yml",
        "domainmigrations.domainoperator.io-v1.yml"})
    void committedCrdMatchesGenerated(String file) throws IOException {
        Path generated = Manifests.generatedCrdDir().resolve(file);
        Path committed = Manifests.committedCrdDir().resolve(file);
        assertThat(committed).as("committed CRD %s exists", file).exists();
        assertThat(Files.readString(committed))
            .as("crds/%s differs from the generated one: run `./mvnw -pl crds process-classes` and copy"
                + " crds/target/generated-crds/%s to crds/", file, file)
            .isEqualTo(Files.readString(generated));
    }
}
