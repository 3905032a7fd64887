package io.domainoperator.controller.cluster;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainConfigStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.EditReplacePatchable;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a {@link DomainDecision} to the API server, each write against the latest object: JSON patches
 * (RFC 6902) locked to that object's resourceVersion, so a concurrent change (the node agent's status, a
 * user's edit) makes the write fail with 409 and the change is recomputed from the newer object instead of
 * overwriting it. The status patch touches only {@code status.phase} (when ours to set) and
 * {@code status.conditions} (the agent's conditions copied over unchanged). A JSON merge patch would do
 * too on a real server, but fabric8's mock server merges lists instead of replacing them.
 *
 * <p>The first attempt works from the cached object (one request per write when the cache is current);
 * after a conflict it re-reads.
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

    /**
     * Applies {@code decision}, starting from {@code cached} (may be stale or null). Returns whether every
     * write went through (false: conflict persisted, object gone, or leadership lost).
     */
    boolean apply(DomainDecision decision, DomainConfig cached) {
        Resource<DomainConfig> resource = client.resources(DomainConfig.class)
            .inNamespace(decision.namespace()).withName(decision.name());
        try {
            // Status first: once spec.nodeName is set the node agent starts writing status, and Placed=True
            // with phase Scheduled should already be there for it to build on.
            DomainConfig afterStatus = writeStatus(decision, resource, cached);
            return afterStatus != null && writeSpec(decision, resource, afterStatus);
        } catch (KubernetesClientException e) {
            LOG.warn("domain {}: cluster controller write failed ({}), will retry next pass: {}", decision.key(),
                decision.assignNode() != null ? "placing on " + decision.assignNode() : "status update", e.getMessage());
            return false;
        }
    }

    /** Returns the object as it is after the write (or unchanged when none was needed), null on failure. */
    private DomainConfig writeStatus(DomainDecision decision, Resource<DomainConfig> resource, DomainConfig cached) {
        DomainConfig latest = cached;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            if (latest == null || attempt > 1) {
                latest = resource.get();
            }
            if (latest == null || !mayAct.getAsBoolean()) {
                return null;
            }
            OwnedStatus.Merged merged = decision.status().merge(latest.getStatus(), clock.instant());
            if (merged == null) {
                return latest;
            }
            List<Map<String, Object>> patch = new ArrayList<>();
            patch.add(lockTo(latest));
            if (new DomainConfigStatus().equals(latest.getStatus())) {
                // No status on the server yet (or an empty one): paths below /status would not resolve.
                Map<String, Object> status = new LinkedHashMap<>();
                if (merged.phase() != null) {
                    status.put("phase", merged.phase());
                }
                status.put("conditions", merged.conditions());
                patch.add(add("/status", status));
            } else {
                patch.add(add("/status/conditions", merged.conditions()));
                if (merged.phaseChanged()) {
                    patch.add(add("/status/phase", merged.phase()));
                }
            }
            DomainConfig written = patch(client.resource(latest).subresource("status"), patch, decision, "status");
            if (written != null) {
                LOG.info("domain {}: status {}{}", decision.key(),
                    merged.phaseChanged() ? "phase " + merged.phase() + ", " : "", summary(merged));
                return written;
            }
        }
        return null;
    }

    private boolean writeSpec(DomainDecision decision, Resource<DomainConfig> resource, DomainConfig start) {
        if (decision.assignNode() == null && decision.labelNode() == null) {
            return true;
        }
        DomainConfig latest = start;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            if (attempt > 1) {
                latest = resource.get();
            }
            if (latest == null || !mayAct.getAsBoolean()) {
                return false;
            }
            String current = latest.getSpec() == null ? null : ClusterDecider.blankToNull(latest.getSpec().getNodeName());
            String node = decision.assignNode() != null ? decision.assignNode() : decision.labelNode();
            List<Map<String, Object>> patch = new ArrayList<>();
            patch.add(lockTo(latest));
            if (decision.assignNode() != null) {
                if (current != null) {
                    // Placed meanwhile (by a user): never move a placed domain; the next pass mirrors its label.
                    return true;
                }
                patch.add(add("/spec/nodeName", node));
            } else if (!node.equals(current) || node.equals(label(latest))) {
                return true;
            }
            patch.add(latest.getMetadata().getLabels() == null
                ? add("/metadata/labels", Map.of(DomainConfig.NODE_LABEL, node))
                : add("/metadata/labels/" + DomainConfig.NODE_LABEL.replace("~", "~0").replace("/", "~1"), node));
            if (patch(client.resource(latest), patch, decision, "spec") != null) {
                LOG.info("domain {}: {}", decision.key(), decision.assignNode() != null
                    ? "placed on node " + node : "node label set to " + node);
                return true;
            }
        }
        return false;
    }

    private static String label(DomainConfig domain) {
        Map<String, String> labels = domain.getMetadata().getLabels();
        return labels == null ? null : labels.get(DomainConfig.NODE_LABEL);
    }

    /**
     * Setting metadata.resourceVersion to the value read makes the API server refuse the patch with 409
     * when the object changed since: optimistic locking for a JSON patch.
     */
    private static Map<String, Object> lockTo(DomainConfig latest) {
        return Map.of("op", "replace", "path", "/metadata/resourceVersion", "value", latest.getMetadata().getResourceVersion());
    }

    private static Map<String, Object> add(String path, Object value) {
        return Map.of("op", "add", "path", path, "value", value);
    }

    /**
     * Returns the patched object, null on a conflict (re-read and retry); throws on anything else. The
     * target is bound to the object read, which spares the client a GET before the PATCH.
     */
    private DomainConfig patch(EditReplacePatchable<DomainConfig> target, List<Map<String, Object>> patch,
                               DomainDecision decision, String what) {
        try {
            return target.patch(PatchContext.of(PatchType.JSON), client.getKubernetesSerialization().asJson(patch));
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                LOG.debug("domain {}: {} changed under us, re-reading", decision.key(), what);
                return null;
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
}
