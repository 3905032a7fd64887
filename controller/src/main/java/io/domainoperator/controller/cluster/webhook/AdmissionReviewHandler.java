package io.domainoperator.controller.cluster.webhook;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.FieldError;
import io.domainoperator.controller.cluster.ClusterDecider;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers one admission.k8s.io/v1 AdmissionReview for a DomainConfig: allowed, or denied with every problem
 * {@link DomainConfigAdmission} finds, each naming its field (the message {@code kubectl apply} prints, and
 * the same problems as Status causes for API clients).
 *
 * <p>Allowed without looking: operations other than CREATE and UPDATE (the webhook configuration does not
 * send them; DELETE must never depend on this process), an UPDATE of an object being deleted (removing the
 * agent's finalizer must always work) and an UPDATE that leaves the spec as it was (labels, finalizers,
 * annotations: a spec that became invalid through another object's change is the controller's to report,
 * and must not freeze the object's metadata).
 */
public final class AdmissionReviewHandler {
    private static final Logger LOG = LoggerFactory.getLogger(AdmissionReviewHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** The caches are not ready; the server answers 503 and the webhook's failurePolicy decides. */
    public static final class NotReady extends RuntimeException {
        NotReady(String message) {
            super(message);
        }
    }

    private final ClusterView view;
    private final java.util.function.Consumer<Boolean> verdicts;

    public AdmissionReviewHandler(ClusterView view) {
        this(view, allowed -> { });
    }

    /** @param verdicts told of each answer (allowed or not), for domainoperator_controller_webhook_admissions_total */
    public AdmissionReviewHandler(ClusterView view, java.util.function.Consumer<Boolean> verdicts) {
        this.view = view;
        this.verdicts = verdicts;
    }

    /** The AdmissionReview to send back for {@code review}; throws {@link NotReady} while the caches sync. */
    public JsonNode review(JsonNode review) {
        JsonNode request = review.path("request");
        if (!request.isObject() || !request.path("uid").isTextual()) {
            throw new IllegalArgumentException("not an AdmissionReview request: no request.uid");
        }
        ObjectNode response = JSON.createObjectNode();
        response.put("uid", request.path("uid").asText());
        decide(request, response);
        verdicts.accept(response.path("allowed").asBoolean(true));
        ObjectNode answer = JSON.createObjectNode();
        answer.put("apiVersion", review.path("apiVersion").asText("admission.k8s.io/v1"));
        answer.put("kind", "AdmissionReview");
        answer.set("response", response);
        return answer;
    }

    private void decide(JsonNode request, ObjectNode response) {
        String operation = request.path("operation").asText();
        JsonNode object = request.path("object");
        boolean isDomain = "DomainConfig".equals(request.path("kind").path("kind").asText());
        if (!isDomain || !(operation.equals("CREATE") || operation.equals("UPDATE"))) {
            response.put("allowed", true);
            return;
        }
        if (operation.equals("UPDATE") && (!object.path("metadata").path("deletionTimestamp").isMissingNode()
            || object.path("spec").equals(request.path("oldObject").path("spec")))) {
            response.put("allowed", true);
            return;
        }
        if (!view.synced()) {
            throw new NotReady("the DomainConfig and PhysicalIOAdapter caches have not synced yet");
        }
        DomainConfig candidate;
        try {
            candidate = JSON.treeToValue(object, DomainConfig.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            deny(response, request.path("name").asText(), List.of(new FieldError(path(e), "cannot be read: " + e.getOriginalMessage())));
            return;
        }
        if (candidate.getMetadata() == null) {
            candidate.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMeta());
        }
        if (candidate.getMetadata().getNamespace() == null) {
            candidate.getMetadata().setNamespace(request.path("namespace").asText());
        }
        if (candidate.getMetadata().getName() == null) {
            candidate.getMetadata().setName(request.path("name").asText());
        }
        List<FieldError> errors = new java.util.ArrayList<>(DomainConfigAdmission.problems(candidate, view.domains(), view.adapters()));
        if (operation.equals("UPDATE")) {
            NodeNameChange.refusal(oldObject(request), candidate, view.migrations()).ifPresent(errors::add);
        }
        if (errors.isEmpty()) {
            response.put("allowed", true);
            if (!request.path("dryRun").asBoolean(false)) {
                view.admitted(candidate);
            }
            return;
        }
        LOG.info("webhook: {} of DomainConfig {} denied: {}", operation, ClusterDecider.key(candidate),
            errors.stream().map(FieldError::field).distinct().collect(Collectors.joining(", ")));
        deny(response, candidate.getMetadata().getName(), errors);
    }

    /**
     * Denied as the API server denies a schema error (422 Invalid, a cause per field), so {@code kubectl} prints
     * it the same way: {@code The DomainConfig "web" is invalid: * spec.maxVcpus: ...}. API clients also get the
     * message the API server prefixes with the webhook's name.
     */
    private static void deny(ObjectNode response, String name, List<FieldError> errors) {
        response.put("allowed", false);
        ObjectNode status = response.putObject("status");
        status.put("code", 422);
        status.put("reason", "Invalid");
        status.put("message", errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
        ObjectNode details = status.putObject("details");
        details.put("name", name).put("group", "domainoperator.io").put("kind", "DomainConfig");
        ArrayNode causes = details.putArray("causes");
        for (FieldError error : errors) {
            causes.addObject().put("reason", "FieldValueInvalid").put("field", error.field()).put("message", error.message());
        }
    }

    /** The stored object an UPDATE replaces (with its status), or null when it cannot be read. */
    private static DomainConfig oldObject(JsonNode request) {
        try {
            DomainConfig old = JSON.treeToValue(request.path("oldObject"), DomainConfig.class);
            if (old != null && old.getMetadata() == null) {
                old.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMeta());
            }
            return old;
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            return null;
        }
    }

    /** {@code spec.vcpus} from Jackson's reference chain. */
    private static String path(com.fasterxml.jackson.core.JsonProcessingException e) {
        if (e instanceof com.fasterxml.jackson.databind.JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            StringBuilder out = new StringBuilder();
            for (var ref : mapping.getPath()) {
                if (ref.getFieldName() != null) {
                    out.append(out.isEmpty() ? "" : ".").append(ref.getFieldName());
                } else if (ref.getIndex() >= 0) {
                    out.append('[').append(ref.getIndex()).append(']');
                }
            }
            return out.toString();
        }
        return "object";
    }
}
