package io.domainoperator.controller.cluster;

import io.domainoperator.api.v1alpha1.DomainMigration;
import io.domainoperator.api.v1alpha1.DomainMigrationStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;

/**
 * A DomainMigration's status written only at the version read: the controller and the two agents each write parts of
 * it, and a write on a stale read must lose (409) rather than undo another's, since the hand-over and a failure are
 * both such writes and exactly one may land.
 */
public final class MigrationWrites {
    private MigrationWrites() {
    }

    /** Writes {@code status} onto {@code read}'s version; false when the object changed since (read again, decide again). */
    public static boolean writeStatus(KubernetesClient client, DomainMigration read, DomainMigrationStatus status) {
        DomainMigration copy = new DomainMigration();
        copy.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName(read.getMetadata().getName()).withNamespace(read.getMetadata().getNamespace())
            .withResourceVersion(read.getMetadata().getResourceVersion()).build());
        copy.setSpec(read.getSpec());
        copy.setStatus(status);
        try {
            client.resource(copy).updateStatus();
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT || e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }
}
