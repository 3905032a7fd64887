package io.domainoperator.controller.agent;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Kubernetes Events on a DomainConfig's transitions (BootFailed, Started, ShutdownForced, ...), and a log line each. */
public final class EventRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
    private final KubernetesClient client;
    private final String component;
    private final String node;
    private final Clock clock;

    public EventRecorder(KubernetesClient client, String component, String node, Clock clock) {
        this.client = client;
        this.component = component;
        this.node = node;
        this.clock = clock;
    }

    /** type is Normal or Warning; reason a CamelCase event reason; message says what happened. */
    public void record(DomainConfig dc, String type, String reason, String message) {
        record(new ObjectReferenceBuilder().withApiVersion(dc.getApiVersion()).withKind(dc.getKind())
            .withName(dc.getMetadata().getName()).withNamespace(dc.getMetadata().getNamespace())
            .withUid(dc.getMetadata().getUid()).withResourceVersion(dc.getMetadata().getResourceVersion()).build(),
            dc.getMetadata().getNamespace(), type, reason, message);
    }

    /** An event about this node (kind Node, in namespace default, as the kubelet's own): the agent's start. */
    public void recordOnNode(String type, String reason, String message) {
        record(new ObjectReferenceBuilder().withApiVersion("v1").withKind("Node").withName(node).build(), "default",
            type, reason, message);
    }

    private void record(io.fabric8.kubernetes.api.model.ObjectReference about, String ns, String type, String reason,
                        String message) {
        String name = about.getName();
        if ("Warning".equals(type)) {
            LOG.warn("{}/{}: {}: {}", ns, name, reason, message);
        } else {
            LOG.info("{}/{}: {}: {}", ns, name, reason, message);
        }
        String now = DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        try {
            client.v1().events().inNamespace(ns).resource(new EventBuilder()
                .withNewMetadata().withName(name + "." + UUID.randomUUID().toString().substring(0, 13).replace("-", "")).withNamespace(ns).endMetadata()
                .withInvolvedObject(about)
                .withType(type).withReason(reason).withMessage(message)
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                .withNewSource().withComponent(component).withHost(node).endSource()
                .withReportingComponent(component).withReportingInstance(node)
                .build()).create();
        } catch (KubernetesClientException e) {
            // An event is a courtesy; failing to write one must not fail the reconcile.
            LOG.debug("cannot record event {} for {}/{}: {}", reason, ns, name, e.getMessage());
        }
    }
}
