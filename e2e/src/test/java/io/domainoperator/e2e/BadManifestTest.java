package io.domainoperator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.domainoperator.e2e.harness.BadManifest;
import io.domainoperator.e2e.harness.RepoFiles;

class BadManifestTest {

    @TempDir
    Path dir;

    @Test
    void headerGivesReasonAndField() throws IOException {
        Path file = Files.writeString(dir.resolve("bad-mac.yaml"), """
                # Rejected: the MAC has five octets
                # expect-field: spec.vifs[0].mac
                apiVersion: domainoperator.io/v1alpha1
                """);

        BadManifest bad = BadManifest.read(file);

        assertThat(bad.why()).isEqualTo("the MAC has five octets");
        assertThat(bad.expectedField()).isEqualTo("spec.vifs[0].mac");
    }

    @Test
    void manifestWithoutExpectedFieldIsAnErrorNamingTheFile() throws IOException {
        Path file = Files.writeString(dir.resolve("silent.yaml"), "# Rejected: something\nkind: DomainConfig\n");

        assertThatThrownBy(() -> BadManifest.read(file))
                .hasMessageContaining("silent.yaml")
                .hasMessageContaining("# expect-field:");
    }

    @Test
    void everyCatalogueEntryOfThisSuiteHasItsHeader() {
        assertThat(RepoFiles.yamlFiles(RepoFiles.testResources("bad-manifests")))
                .hasSizeGreaterThanOrEqualTo(6)
                .allSatisfy(file -> assertThat(BadManifest.read(file).expectedField()).startsWith("spec."));
    }

    @Test
    void listIndicesAreDroppedForOlderServers() {
        assertThat(SchemaRejectionE2E.withoutListIndices("spec.vifs[0].mac")).isEqualTo("spec.vifs.mac");
        assertThat(SchemaRejectionE2E.withoutListIndices("spec.disks[12].source")).isEqualTo("spec.disks.source");
        assertThat(SchemaRejectionE2E.withoutListIndices("spec.vcpus")).isEqualTo("spec.vcpus");
    }
}
