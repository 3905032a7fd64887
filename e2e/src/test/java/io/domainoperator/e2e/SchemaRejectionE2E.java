package io.domainoperator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import io.domainoperator.e2e.harness.BadManifest;
import io.domainoperator.e2e.harness.Crds;
import io.domainoperator.e2e.harness.KubeApiServer;
import io.domainoperator.e2e.harness.Kubectl;
import io.domainoperator.e2e.harness.RepoFiles;

/**
 * Scenario 2: the API server itself rejects each manifest of the bad-input catalogue, and kubectl's
 * error names the offending field. kubectl's own client-side schema check is switched off
 * ({@code --validate=false}), so what is proven is the CRD's OpenAPI schema as the server enforces it,
 * the last line of defence for clients that skip validation.
 */
@KubeApiServer
class SchemaRejectionE2E {

    @BeforeAll
    static void installCrds(Kubectl kubectl) {
        Crds.install(kubectl);
    }

    /** This suite's catalogue, plus the repository's examples/invalid/ once it exists. */
    static Stream<BadManifest> catalogue() {
        Stream<BadManifest> suite = RepoFiles.yamlFiles(RepoFiles.testResources("bad-manifests")).stream().map(BadManifest::read);
        Stream<BadManifest> repo = RepoFiles.examples()
                .map(examples -> examples.resolve("invalid"))
                .filter(Files::isDirectory)
                .map(invalid -> RepoFiles.yamlFiles(invalid).stream().map(BadManifest::read))
                .orElseGet(Stream::empty);
        return Stream.concat(suite, repo);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("catalogue")
    void apiServerRejectsWithTheFieldNamed(BadManifest bad, Kubectl kubectl) {
        var result = kubectl.run("create", "--validate=false", "-f", bad.file().toString());

        assertThat(result.exitCode()).as("exit code of %s (%s)", result.describe(), bad.why()).isNotZero();
        // "The DomainConfig "x" is invalid: spec.vcpus: Invalid value: ..." comes from the server's validation.
        assertThat(result.stderr())
                .as("kubectl's error for a manifest where %s", bad.why())
                .contains("is invalid")
                .containsAnyOf(bad.expectedField() + ":", withoutListIndices(bad.expectedField()) + ":");
    }

    /**
     * Older API servers (1.20, the one built here) name a field inside a list without its index:
     * {@code spec.vifs.mac} where newer ones say {@code spec.vifs[0].mac}. Both name the field.
     */
    static String withoutListIndices(String fieldPath) {
        return fieldPath.replaceAll("\\[\\d+]", "");
    }
}
