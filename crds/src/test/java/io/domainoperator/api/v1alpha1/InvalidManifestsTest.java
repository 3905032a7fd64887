package io.domainoperator.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The catalogue of bad manifests in examples/invalid is rejected by the generated schema, and the error names
 * the field. The e2e suite feeds the same catalogue to a real API server.
 */
class InvalidManifestsTest {

    static Stream<Arguments> catalogue() throws IOException {
        try (Stream<Path> files = Files.list(Manifests.examplesDir().resolve("invalid"))) {
            return files.sorted().toList().stream().map(f -> Arguments.of(f.getFileName().toString(), f));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("catalogue")
    void schemaRejectsNamingTheField(String name, Path file) {
        JsonNode doc = Manifests.documents(file).getFirst();
        String plural = doc.path("kind").asText().equals("DomainConfig") ? "domainconfigs" : "physicalioadapters";
        String field = expectedField(file);

        Set<ValidationMessage> errors = CrdSchemas.schema(plural).validate(doc);

        assertThat(errors).as("%s must be rejected", name).isNotEmpty();
        assertThat(errors).as("an error of %s names %s", name, field)
            .anySatisfy(e -> assertThat(describe(e)).contains(field));
    }

    /** networknt reports a missing property at its parent ("$.spec: required property 'vcpus' not found"). */
    private static String describe(ValidationMessage e) {
        String at = e.getInstanceLocation().toString().replaceFirst("^\\$\\.", "");
        String property = e.getProperty();
        return property != null && "required".equals(e.getType()) ? at + "." + property : at;
    }

    static String expectedField(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return lines.stream().filter(l -> l.startsWith("# expect-field: ")).findFirst()
                .map(l -> l.substring("# expect-field: ".length()).trim())
                .orElseThrow(() -> new AssertionError(file + " lacks an '# expect-field:' line"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
