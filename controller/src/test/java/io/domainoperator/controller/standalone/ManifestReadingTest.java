package io.domainoperator.controller.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Standalone mode reads manifests no API server has checked: it must refuse everything the schema refuses
 * (the examples/invalid catalogue), naming the file, line, document and field, with values escaped.
 */
class ManifestReadingTest {
    private static final Path EXAMPLES = Path.of("../examples");

    @TempDir
    Path dir;

    static Stream<Path> catalogue() throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLES.resolve("invalid"))) {
            return files.sorted().toList().stream();
        }
    }

    static Stream<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("catalogue")
    void everyManifestTheSchemaRefusesIsRefusedNamingItsField(Path file) throws IOException {
        String field = Files.readAllLines(file).stream().filter(l -> l.startsWith("# expect-field: ")).findFirst()
            .orElseThrow().substring("# expect-field: ".length()).trim();

        assertThatThrownBy(() -> ManifestFolder.read(file)).isInstanceOf(ManifestFolder.ManifestException.class)
            .hasMessageContaining(file + " (document 1), line ")
            .hasMessageContaining(field + ":");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void theExamplesRead(Path file) {
        assertThat(ManifestFolder.read(file)).isNotEmpty();
    }

    @Test
    void aBadEnumIsNamedWithItsLineAndTheAllowedValues() throws IOException {
        Path file = write("""
            apiVersion: domainoperator.io/v1alpha1
            kind: PhysicalIOAdapter
            metadata: {name: eth1}
            spec: {nodeName: n, type: NetEth}
            ---
            # the second document
            apiVersion: domainoperator.io/v1alpha1
            kind: DomainConfig
            metadata:
              name: vm
            spec:
              displayName: vm
              vcpus: 1
              memoryMiB: 64
              virtualizationMode: XYZ
            """);

        assertThatThrownBy(() -> ManifestFolder.read(file))
            .hasMessage(file + " (document 2), line 15: spec.virtualizationMode: 'XYZ' is not one of HVM, PV, PVH");
    }

    @Test
    void aTypeErrorAndAnUnknownFieldAreNamed() throws IOException {
        Path typo = write("""
            apiVersion: domainoperator.io/v1alpha1
            kind: DomainConfig
            metadata: {name: vm}
            spec:
              displayName: vm
              vcpus: two
              memoryMiB: 64
            """);
        assertThatThrownBy(() -> ManifestFolder.read(typo)).hasMessage(typo + " (document 1), line 6: spec.vcpus: 'two' is not a whole number");

        Path unknown = write("""
            apiVersion: domainoperator.io/v1alpha1
            kind: DomainConfig
            metadata: {name: vm}
            spec:
              displayName: vm
              vcpus: 1
              memory: 64
            """);
        assertThatThrownBy(() -> ManifestFolder.read(unknown)).hasMessageStartingWith(unknown + " (document 1), line 7: spec.memory: is not a field here")
            .hasMessageContaining("memoryMiB");
    }

    @Test
    void validationErrorsCarryTheLineOfTheirFieldAndEscapedValues() throws IOException {
        Path file = write("""
            apiVersion: domainoperator.io/v1alpha1
            kind: DomainConfig
            metadata: {name: vm}
            spec:
              displayName: vm
              vcpus: 1
              memoryMiB: 64
              vifs:
                - bridge: br0
                - bridge: "br1\\n12:00 INFO forged"
              bootRetrySeconds: -5
              startAfter: [vm]
            """);

        assertThatThrownBy(() -> ManifestFolder.read(file)).satisfies(e -> assertThat(e.getMessage().lines().toList())
            .containsExactlyInAnyOrder(
                file + " (document 1), line 10: DomainConfig 'vm': spec.vifs[1].bridge: 'br1\\n12:00 INFO forged' is not an interface name"
                    + " (at most 15 of letters, digits, '_', '.', '-')",
                file + " (document 1), line 11: DomainConfig 'vm': spec.bootRetrySeconds: must be between 1 and 86400, is -5",
                file + " (document 1), line 12: DomainConfig 'vm': spec.startAfter[0]: 'vm' is this DomainConfig itself: a domain"
                    + " cannot wait for itself to be Running; remove it"));
    }

    private Path write(String text) throws IOException {
        Path file = dir.resolve("m" + List.of(dir.toFile().list()).size() + ".yaml");
        Files.writeString(file, text);
        return file;
    }
}
