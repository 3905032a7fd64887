package io.domainoperator.api.v1alpha1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Test helpers: where the examples and CRDs live, and reading multi-document YAML. */
final class Manifests {
    static final ObjectMapper YAML = new YAMLMapper().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private Manifests() {
    }

    static Path examplesDir() {
        return Path.of(System.getProperty("examplesDir", "../examples"));
    }

    static Path committedCrdDir() {
        return Path.of(System.getProperty("committedCrdDir", "."));
    }

    static Path generatedCrdDir() {
        return Path.of(System.getProperty("generatedCrdDir", "target/generated-crds"));
    }

    /** The examples users apply: examples/*.yaml and the themed folders beside them (not examples/invalid). */
    static List<Path> exampleFiles() {
        try (Stream<Path> files = Files.walk(examplesDir(), 2)) {
            return files.filter(p -> p.toString().endsWith(".yaml"))
                .filter(p -> !examplesDir().relativize(p).startsWith("invalid")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every YAML document in the file, as trees. */
    static List<JsonNode> documents(Path file) {
        try {
            List<JsonNode> docs = new ArrayList<>();
            try (var parser = new YAMLFactory().createParser(file.toFile())) {
                var it = YAML.readValues(parser, JsonNode.class);
                while (it.hasNext()) {
                    JsonNode node = it.next();
                    if (node != null && !node.isNull() && !node.isMissingNode()) {
                        docs.add(node);
                    }
                }
            }
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    /** The openAPIV3Schema of the committed CRD for this plural. */
    static JsonNode openApiSchema(String plural) {
        JsonNode crd = documents(committedCrdDir().resolve(plural + ".domainoperator.io-v1.yml")).getFirst();
        return crd.path("spec").path("versions").get(0).path("schema").path("openAPIV3Schema");
    }
}
