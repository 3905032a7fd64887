package io.domainoperator.api.v1alpha1;

import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The committed CRDs' openAPIV3Schema as validators. Kubernetes' structural schemas are a subset of JSON
 * Schema draft 4 (plus x-kubernetes-* extensions, which the validator ignores), so a draft-4 validator
 * checks what the API server checks for these types.
 */
final class CrdSchemas {
    private static final Map<String, JsonSchema> CACHE = new ConcurrentHashMap<>();

    private CrdSchemas() {
    }

    static JsonSchema schema(String plural) {
        return CACHE.computeIfAbsent(plural, p -> JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4)
            .getSchema(Manifests.openApiSchema(p)));
    }
}
