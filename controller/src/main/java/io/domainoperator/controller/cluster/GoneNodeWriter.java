package io.domainoperator.controller.cluster;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.controller.agent.EventRecorder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's writes for nodes gone for good ({@link GoneNodes}, {@link GoneNodeRelease}): the Node uid recorded on
 * each heartbeat Lease, the release of a gone node's domains through the status subresource, the finalizer a gone
 * node can no longer remove, each with an Event naming the node and why. Every write is locked to the resourceVersion
 * the decision was made on: a node that writes after all (it was not gone) wins, and the next pass decides again.
 */
final class GoneNodeWriter {
    private static final Logger LOG = LoggerFactory.getLogger(GoneNodeWriter.class);

    private final KubernetesClient client;
    private final String leaseNamespace;
    private final Clock clock;
    private final EventRecorder events;
    private final BooleanSupplier mayAct;

    GoneNodeWriter(KubernetesClient client, String leaseNamespace, Clock clock, EventRecorder events, BooleanSupplier mayAct) {
        this.client = client;
        this.leaseNamespace = leaseNamespace;
        this.clock = clock;
        this.events = events;
        this.mayAct = mayAct;
    }

    /**
     * The Node objects as the API server has them now, or empty when they cannot be read (no permission, server
     * error): then no node counts as deleted.
     */
    Optional<List<Node>> listNodes() {
        try {
            return Optional.of(client.nodes().list().getItems());
        } catch (RuntimeException e) {
            LOG.debug("nodes not readable, none is declared gone: {}", e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Records the Node uids on heartbeat Leases, then ends the migrations a gone node can no longer finish and releases
     * what the gone nodes held; returns what it declared.
     */
    GoneNodes pass(List<Node> nodes, List<Lease> leases, Iterable<DomainConfig> domains,
                   List<io.domainoperator.api.v1alpha1.DomainMigration> migrations) {
        recordUids(GoneNodes.uidsToRecord(nodes, leases));
        GoneNodes gone = GoneNodes.of(nodes, leases, clock.instant());
        List<DomainConfig> all = new java.util.ArrayList<>();
        domains.forEach(all::add);
        for (GoneNodeMigrations.Failure f : GoneNodeMigrations.decide(migrations, gone, clock.instant())) {
            if (mayAct.getAsBoolean() && MigrationWrites.writeStatus(client, f.migration(), f.status())) {
                String ns = f.migration().getMetadata().getNamespace();
                LOG.warn("migration {}/{}: {}", ns, f.migration().getMetadata().getName(), f.message());
                all.stream().filter(d -> ns.equals(d.getMetadata().getNamespace())
                        && d.getMetadata().getName().equals(f.migration().getSpec().getDomainConfig())).findFirst()
                    .ifPresent(d -> events.record(d, "Warning", GoneNodeRelease.REASON, f.message()));
            }
        }
        for (GoneNodeRelease.Write w : GoneNodeRelease.decide(all, gone, clock.instant())) {
            if (!mayAct.getAsBoolean()) {
                break;
            }
            apply(w);
        }
        return gone;
    }

    private void recordUids(Map<String, String> uids) {
        uids.forEach((lease, uid) -> {
            try {
                client.resources(Lease.class).inNamespace(leaseNamespace).withName(lease).patch(
                    PatchContext.of(PatchType.JSON_MERGE),
                    "{\"metadata\":{\"annotations\":{\"" + GoneNodes.NODE_UID_ANNOTATION + "\":\"" + uid + "\"}}}");
            } catch (KubernetesClientException e) {
                LOG.warn("cannot record the Node uid on heartbeat Lease {}/{}, retrying next pass: {}", leaseNamespace,
                    lease, e.getMessage());
            }
        });
    }

    private void apply(GoneNodeRelease.Write w) {
        DomainConfig dc = w.about();
        String key = ClusterDecider.key(dc);
        try {
            if (w.status() != null) {
                DomainConfig copy = client.getKubernetesSerialization().clone(dc);
                copy.setStatus(w.status());
                // The status subresource, at the resourceVersion the decision was made on.
                client.resource(copy).updateStatus();
            } else {
                client.resources(DomainConfig.class).inNamespace(dc.getMetadata().getNamespace())
                    .withName(dc.getMetadata().getName()).patch(PatchContext.of(PatchType.JSON), finalizerRemoval(dc));
            }
            LOG.warn("domain {}: {}", key, w.message());
            events.record(dc, "Warning", GoneNodeRelease.REASON, w.message());
        } catch (KubernetesClientException e) {
            LOG.info("domain {}: release on behalf of gone node {} not written ({}), deciding again next pass", key,
                w.node(), e.getCode() == 409 ? "changed meanwhile" : e.getMessage());
        }
    }

    /** Removes the one finalizer, tested against the list and resourceVersion it was decided on. */
    private static String finalizerRemoval(DomainConfig dc) {
        List<String> finalizers = dc.getMetadata().getFinalizers();
        int at = finalizers.indexOf(DomainConfig.FINALIZER);
        return "[{\"op\":\"test\",\"path\":\"/metadata/resourceVersion\",\"value\":\"" + dc.getMetadata().getResourceVersion()
            + "\"},{\"op\":\"test\",\"path\":\"/metadata/finalizers/" + at + "\",\"value\":\"" + DomainConfig.FINALIZER
            + "\"},{\"op\":\"remove\",\"path\":\"/metadata/finalizers/" + at + "\"}]";
    }
}
