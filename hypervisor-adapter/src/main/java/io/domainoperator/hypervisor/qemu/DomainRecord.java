package io.domainoperator.hypervisor.qemu;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.hypervisor.DomainDefinition;
import io.domainoperator.hypervisor.spec.DefinitionFromSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * What this backend launched for one domain, persisted as {@code domain.json} in its runtime directory.
 * It is how a restarted agent knows a QEMU process as its own and reports the domain without the spec.
 *
 * @param domainId    the number reported as {@link io.domainoperator.hypervisor.DomainInfo#domainId()}
 * @param accelerator KVM or TCG, as launched
 * @param argv        the full QEMU command line
 * @param definition  the definition it was created from
 */
record DomainRecord(int domainId, String accelerator, List<String> argv, DomainDefinition definition) {
    /** How {@code domain.json} is written and read: indented for people, tolerant of fields a newer agent added. */
    static final ObjectMapper JSON = new ObjectMapper()
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
        .enable(SerializationFeature.INDENT_OUTPUT);

    DomainRecord {
        Objects.requireNonNull(accelerator, "accelerator");
        argv = List.copyOf(argv);
        Objects.requireNonNull(definition, "definition");
    }

    String name() {
        return definition.name();
    }

    /**
     * Reads a record, also one an agent wrote before the definition carried values of its own (it carried the
     * DomainConfig spec then): the QEMUs those agents started still run and must be re-attached, not orphaned.
     */
    static DomainRecord read(ObjectMapper json, Path file) throws IOException {
        JsonNode root = json.readTree(file.toFile());
        JsonNode definition = root == null ? null : root.get("definition");
        if (definition == null || !definition.has("spec")) {
            return json.treeToValue(root, DomainRecord.class);
        }
        try {
            DomainConfigSpec spec = json.treeToValue(definition.get("spec"), DomainConfigSpec.class);
            DomainDefinition converted = DefinitionFromSpec.of(definition.path("name").asText(),
                UUID.fromString(definition.path("uuid").asText()), spec, strings(definition.path("diskPaths")),
                strings(definition.path("pciAddresses")));
            return new DomainRecord(root.path("domainId").asInt(), root.path("accelerator").asText(),
                strings(root.path("argv")), converted);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " holds a definition of an older agent that cannot be read: " + e.getMessage(), e);
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.isNull() ? null : node.asText()));
        return values;
    }
}
