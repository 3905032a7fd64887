package io.domainoperator.controller.cluster;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a {@link DomainDecision} to the API server, each write against the latest object: JSON merge
 * patches that carry that object's resourceVersion, so a concurrent change (the node agent's status, a
 * user's edit) makes the write fail with 409 and the change is recomputed from the newer object instead of
 * overwriting it. The status patch touches only {@code status.phase} (when ours to set) and
 * {@code status.conditions} (the agent's conditions copied over unchanged).
 */
final class DomainWriter {
    private static final Logger LOG = LoggerFactory.getLogger(DomainWriter.class);
    private static final int ATTEMPTS = 4;

    private final KubernetesClient client;
    private final Clock clock;
    private final BooleanSupplier mayAct;

    /** {@code mayAct} is checked before every write, so a replica that lost leadership stops at once. */
    DomainWriter(KubernetesClient client, Clock clock, BooleanSupplier mayAct) {
        this.client = client;
        this.clock = clock;
        this.mayAct = mayAct;
    }

    /** Returns whether every write went through (false: conflict persisted, object gone, or leadership lost). */
    boolean apply(DomainDecision decision) {
        Resource<DomainConfig> resource = client.resources(DomainConfig.class)
            .inNamespace(decision.namespace()).withName(decision.name());
        try {
            // Status first: once spec.nodeName is set the node agent starts writing status, and Placed=True
            // with phase Scheduled should already be there for it to build on.
            return writeStatus(decision, resource) && writeSpec(decision, resource);
        } catch (KubernetesClientException e) {
            LOG.warn("domain {}: cluster controller write failed ({}), will retry next pass: {}", decision.key(),
                describe(decision), e.getMessage());
            return false;
        }
    }

    private boolean writeStatus(DomainDecision decision, Resource<DomainConfig> resource) {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            DomainConfig latest = resource.get();
            if (latest == null || !mayAct.getAsBoolean()) {
                return false;
            }
            OwnedStatus.Merged merged = decision.status().merge(latest.getStatus(), clock.instant());
            if (merged == null) {
                return true;
            }
            Map<String, Object> status = new LinkedHashMap<>();
            if (merged.phaseChanged()) {
                status.put("phase", merged.phase());
            }
            status.put("conditions", merged.conditions());
            Map<String, Object> patch = Map.of(
                "metadata", Map.of("resourceVersion", latest.getMetadata().getResourceVersion()),
                "status", status);
            if (patch(resource.subresource("status"), patch, decision, "status")) {
                LOG.info("domain {}: status {}{}", decision.key(),
                    merged.phaseChanged() ? "phase " + merged.phase() + ", " : "", summary(merged));
                return true;
            }
        }
        return false;
    }

    private boolean writeSpec(DomainDecision decision, Resource<DomainConfig> resource) {
        if (decision.assignNode() == null && decision.labelNode() == null) {
            return true;
        }
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            DomainConfig latest = resource.get();
            if (latest == null || !mayAct.getAsBoolean()) {
                return false;
            }
            String current = latest.getSpec() == null ? null : ClusterDecider.blankToNull(latest.getSpec().getNodeName());
            Map<String, Object> patch;
            if (decision.assignNode() != null) {
                if (current != null) {
                    // Placed meanwhile (by a user): never move a placed domain; the next pass mirrors its label.
                    return true;
                }
                patch = Map.of(
                    "metadata", Map.of("resourceVersion", latest.getMetadata().getResourceVersion(),
                        "labels", Map.of(DomainConfig.NODE_LABEL, decision.assignNode())),
                    "spec", Map.of("nodeName", decision.assignNode()));
            } else {
                if (!decision.labelNode().equals(current)) {
                    return true;
                }
                patch = Map.of("metadata", Map.of("resourceVersion", latest.getMetadata().getResourceVersion(),
                    "labels", Map.of(DomainConfig.NODE_LABEL, decision.labelNode())));
            }
            if (patch(resource, patch, decision, "spec")) {
                LOG.info("domain {}: {}", decision.key(), decision.assignNode() != null
                    ? "placed on node " + decision.assignNode() : "node label set to " + decision.labelNode());
                return true;
            }
        }
        return false;
    }

    /** Returns false on a conflict (re-read and retry), throws on anything else. */
    private boolean patch(io.fabric8.kubernetes.client.dsl.EditReplacePatchable<DomainConfig> target, Map<String, Object> patch,
                          DomainDecision decision, String what) {
        try {
            target.patch(PatchContext.of(PatchType.JSON_MERGE), client.getKubernetesSerialization().asJson(patch));
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                LOG.debug("domain {}: {} changed under us, re-reading", decision.key(), what);
                return false;
            }
            throw e;
        }
    }

    private static String summary(OwnedStatus.Merged merged) {
        StringBuilder out = new StringBuilder("conditions");
        merged.conditions().forEach(c -> out.append(' ').append(c.getType()).append('=').append(c.getStatus())
            .append('/').append(c.getReason()));
        return out.toString();
    }

    private static String describe(DomainDecision decision) {
        return decision.assignNode() != null ? "placing on " + decision.assignNode() : "status update";
    }
}
