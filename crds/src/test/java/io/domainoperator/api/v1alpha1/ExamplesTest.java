package io.domainoperator.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.ValidationMessage;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every manifest in examples/ is one a user can apply: it parses, round-trips, and passes schema and validator. */
class ExamplesTest {

    static Stream<Arguments> documents() {
        return Manifests.exampleFiles().stream()
            .flatMap(file -> Manifests.documents(file).stream()
                .map(doc -> Arguments.of(file.getFileName() + ":" + doc.path("metadata").path("name").asText(), doc)));
    }

    @Test
    void examplesCoverTheCasesUsersAskFor() {
        List<String> names = Manifests.exampleFiles().stream().map(Path::getFileName).map(Path::toString).toList();
        assertThat(names).contains("vyos-app.yaml", "pv-guest.yaml", "nfs-server.yaml", "nfs-client.yaml",
            "adapters-edge-1.yaml", "web.yaml");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documents")
    void parsesIntoTheModelAndRoundTrips(String label, JsonNode doc) throws Exception {
        Class<? extends HasMetadata> type = switch (doc.path("kind").asText()) {
            case "DomainConfig" -> DomainConfig.class;
            case "PhysicalIOAdapter" -> PhysicalIOAdapter.class;
            default -> throw new AssertionError(label + ": unexpected kind " + doc.path("kind"));
        };
        HasMetadata parsed = Manifests.YAML.treeToValue(doc, type);
        String yaml = Serialization.asYaml(parsed);
        HasMetadata reparsed = Manifests.YAML.readValue(yaml, type);

        assertThat(reparsed.getMetadata()).isEqualTo(parsed.getMetadata());
        if (parsed instanceof DomainConfig dc) {
            assertThat(((DomainConfig) reparsed).getSpec()).isEqualTo(dc.getSpec());
            assertThat(DomainConfigValidator.validate(dc.getSpec())).as(label).isEmpty();
        } else {
            assertThat(((PhysicalIOAdapter) reparsed).getSpec()).isEqualTo(((PhysicalIOAdapter) parsed).getSpec());
        }
        // Nothing a user wrote is lost: the re-serialized tree carries every field of the original.
        assertThat(Manifests.YAML.readTree(yaml).path("spec")).isEqualTo(doc.path("spec"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documents")
    void validatesAgainstTheGeneratedCrdSchema(String label, JsonNode doc) {
        String plural = doc.path("kind").asText().equals("DomainConfig") ? "domainconfigs" : "physicalioadapters";
        JsonSchema schema = CrdSchemas.schema(plural);
        Set<ValidationMessage> errors = schema.validate(doc);
        assertThat(errors).as(label).isEmpty();
    }
}
