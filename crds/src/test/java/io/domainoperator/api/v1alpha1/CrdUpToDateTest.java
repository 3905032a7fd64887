package io.domainoperator.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The CRD YAML under crds/ is what the build generates from the Java model; regenerate, don't hand-edit. */
class CrdUpToDateTest {

    @ParameterizedTest
    @ValueSource(strings = {"domainconfigs.domainoperator.io-v1.yml", "physicalioadapters.domainoperator.io-v1.yml"})
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
