package io.domainoperator.e2e.harness.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.StreamSupport;

/** The objects {@code helm template} printed, parsed, with lookups by kind and name. */
public record RenderedChart(String yaml, List<JsonNode> objects) {

    private static final ObjectMapper YAML = new YAMLMapper();

    public static RenderedChart parse(String yaml) {
        List<JsonNode> objects = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(yaml)) {
            var docs = YAML.readValues(parser, JsonNode.class);
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    objects.add(doc);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("helm template printed YAML that does not parse", e);
        }
        return new RenderedChart(yaml, List.copyOf(objects));
    }

    public List<JsonNode> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    /** The one object of this kind and name; fails naming what was rendered otherwise. */
    public JsonNode get(String kind, String name) {
        return objects.stream()
                .filter(o -> kind.equals(o.path("kind").asText()) && name.equals(o.at("/metadata/name").asText()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " rendered; rendered: " + names()));
    }

    public boolean has(String kind, String name) {
        return objects.stream().anyMatch(o -> kind.equals(o.path("kind").asText()) && name.equals(o.at("/metadata/name").asText()));
    }

    public List<String> names() {
        return objects.stream().map(o -> o.path("kind").asText() + "/" + o.at("/metadata/name").asText()).toList();
    }

    /**
     * The verbs a Role or ClusterRole grants on {@code resource} (e.g. {@code domainconfigs/status}) of
     * {@code apiGroup}, counting wildcard rules, so a {@code "*"} cannot hide a delete.
     */
    public static Set<String> verbs(JsonNode role, String apiGroup, String resource) {
        Set<String> verbs = new LinkedHashSet<>();
        for (JsonNode rule : role.path("rules")) {
            if (contains(rule.path("apiGroups"), apiGroup) && contains(rule.path("resources"), resource)) {
                rule.path("verbs").forEach(v -> verbs.add(v.asText()));
            }
        }
        return verbs;
    }

    /** Every verb any rule of the role grants. */
    public static Set<String> allVerbs(JsonNode role) {
        Set<String> verbs = new LinkedHashSet<>();
        role.path("rules").forEach(rule -> rule.path("verbs").forEach(v -> verbs.add(v.asText())));
        return verbs;
    }

    private static boolean contains(JsonNode list, String value) {
        return StreamSupport.stream(list.spliterator(), false).map(JsonNode::asText).anyMatch(v -> v.equals(value) || v.equals("*"));
    }
}
