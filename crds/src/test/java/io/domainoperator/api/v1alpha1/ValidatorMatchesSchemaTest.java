package io.domainoperator.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.ValidationMessage;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engine's validator refuses whatever the generated CRD schema refuses, field by field, so standalone mode
 * and an API server without the schema let nothing through that a real one would stop. Every integer field of
 * the schema must carry both bounds; each bound is probed just outside and on the edge, and a handful of
 * typical bad strings are tried on every string field. A field added to the API is covered without touching
 * this test; one the validator misses fails it.
 */
class ValidatorMatchesSchemaTest {
    private static final ObjectMapper YAML = new YAMLMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    /** Strings a user might type that some pattern or size refuses. */
    private static final List<String> ODD_STRINGS = List.of("", " ", "../../etc", "A B", "a,b", "-x", "x".repeat(300),
        "\"q\"", "x\ny", "x\u0000", "a\u202eb", "UPPER", "1.5", "/ok/path");

    /** A spec with one element in every list of objects, so that every schema path can be probed. */
    static ObjectNode fullSpec() {
        try {
            return (ObjectNode) YAML.readTree("""
                displayName: vm-1
                uuid: 4a144db0-6b63-405a-b884-7760042023b1
                nodeName: node-1
                virtualizationMode: HVM
                vcpus: 2
                maxVcpus: 2
                memoryMiB: 512
                maxMemoryMiB: 512
                kernel: /boot/vmlinuz
                ramdisk: /boot/initrd.img
                cmdline: console=ttyS0
                bootOrder: dc
                disks: [{source: /persist/img/a.qcow2, format: qcow2, target: xvda, readOnly: false, copyOnStart: false, xenOptions: [discard]}]
                vifs: [{bridge: br0, mac: "00:16:3e:00:00:01", vifName: vif1, xenOptions: ["rate=10Mb/s"]}]
                adapters: [eth1]
                vnc: {enabled: true, listen: 127.0.0.1}
                serial: pty
                usbTablet: true
                onPoweroff: Destroy
                onReboot: Restart
                onCrash: Restart
                bootRetrySeconds: 600
                shutdownTimeoutSeconds: 60
                startAfter: [db]
                readinessProbe: {tcp: {host: 10.0.0.5, port: 22}, serial: {expect: "login: "}, guestAgent: {}, initialDelaySeconds: 0, periodSeconds: 5, timeoutSeconds: 1, failureThreshold: 3, successThreshold: 1}
                restartOnConfigChange: false
                keepDisksOnDelete: false
                xen: {viridianGroups: [base], passThrough: [{key: cpu_weight, value: "256"}], pciOptions: [{adapter: eth1, options: [permissive=1]}]}
                """);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Each leaf of the schema under spec: its path (spec.disks[0].target) and its schema. */
    static Stream<Arguments> leaves() {
        JsonNode spec = Manifests.openApiSchema("domainconfigs").path("properties").path("spec");
        List<Arguments> out = new ArrayList<>();
        collect("spec", spec, out);
        return out.stream();
    }

    private static void collect(String path, JsonNode schema, List<Arguments> out) {
        switch (schema.path("type").asText()) {
            case "object" -> {
                Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields();
                it.forEachRemaining(e -> collect(path + "." + e.getKey(), e.getValue(), out));
            }
            case "array" -> collect(path + "[0]", schema.path("items"), out);
            default -> out.add(Arguments.of(path, schema));
        }
    }

    @Test
    void theFullSpecIsValidForBoth() {
        assertThat(schemaErrors(fullSpec())).isEmpty();
        assertThat(validatorErrors(fullSpec())).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("leaves")
    void everyNumericFieldHasBothBoundsAndTheValidatorHoldsThem(String path, JsonNode schema) {
        if (!schema.path("type").asText().equals("integer") && !schema.path("type").asText().equals("number")) {
            return;
        }
        assertThat(schema.has("minimum") && schema.has("maximum"))
            .as("%s must have a minimum and a maximum in the schema (@Min and @Max)", path).isTrue();
        long min = schema.get("minimum").asLong();
        long max = schema.get("maximum").asLong();

        for (long outside : List.of(min - 1, max + 1)) {
            ObjectNode spec = with(path, YAML.getNodeFactory().numberNode(outside));
            assertThat(schemaErrors(spec)).as("schema refuses %s = %d", path, outside).isNotEmpty();
            assertThat(validatorErrors(spec)).as("validator refuses %s = %d like the schema", path, outside)
                .extracting(FieldError::field).contains(path);
        }
        for (long edge : List.of(min, max)) {
            // Only the bound is probed: a cross-field rule (maxVcpus >= vcpus) may still object to an edge value.
            assertThat(validatorErrors(with(path, YAML.getNodeFactory().numberNode(edge))))
                .as("validator's bounds on %s include %d like the schema's", path, edge)
                .noneMatch(e -> e.field().equals(path) && e.message().startsWith("must be between"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("leaves")
    void everyStringTheSchemaRefusesTheValidatorRefuses(String path, JsonNode schema) {
        if (!schema.path("type").asText().equals("string") || schema.has("enum")) {
            return;
        }
        for (String odd : ODD_STRINGS) {
            ObjectNode spec = with(path, YAML.getNodeFactory().textNode(odd));
            boolean schemaRefuses = !schemaErrors(spec).isEmpty();
            boolean hasControl = Untrusted.firstControl(odd) >= 0;
            if (schemaRefuses || hasControl) {
                assertThat(validatorErrors(spec)).as("validator refuses %s = %s (schema refuses: %s)", path,
                    Untrusted.quote(odd), schemaRefuses).extracting(FieldError::field).contains(path);
            }
        }
    }

    private static ObjectNode with(String path, JsonNode value) {
        ObjectNode spec = fullSpec();
        String[] steps = path.substring("spec.".length()).replace("[0]", ".0").split("\\.");
        JsonNode node = spec;
        for (int i = 0; i < steps.length - 1; i++) {
            node = node.isArray() ? node.get(Integer.parseInt(steps[i])) : node.get(steps[i]);
            assertThat(node).as("fullSpec() lacks %s: add it so the field can be probed", path).isNotNull();
        }
        String last = steps[steps.length - 1];
        if (node.isArray()) {
            ((ArrayNode) node).set(Integer.parseInt(last), value);
        } else {
            ((ObjectNode) node).set(last, value);
        }
        return spec;
    }

    private static Set<ValidationMessage> schemaErrors(ObjectNode spec) {
        ObjectNode doc = YAML.createObjectNode().put("apiVersion", "domainoperator.io/v1alpha1").put("kind", "DomainConfig");
        doc.putObject("metadata").put("name", "vm-1");
        doc.set("spec", spec);
        return CrdSchemas.schema("domainconfigs").validate(doc);
    }

    private static List<FieldError> validatorErrors(ObjectNode spec) {
        try {
            return DomainConfigValidator.validate(YAML.treeToValue(spec, DomainConfigSpec.class));
        } catch (Exception e) {
            throw new AssertionError("the spec must map onto DomainConfigSpec: " + e.getMessage(), e);
        }
    }
}
