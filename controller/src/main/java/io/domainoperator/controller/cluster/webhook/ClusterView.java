package io.domainoperator.controller.cluster.webhook;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.PhysicalIOAdapter;
import java.util.List;

/** What the webhook compares an incoming DomainConfig with; backed by informer caches in the process. */
public interface ClusterView {
    /** False until the caches have listed everything once: answering from a partial view would admit clashes. */
    boolean synced();

    /** Every DomainConfig, all namespaces. */
    List<DomainConfig> domains();

    List<PhysicalIOAdapter> adapters();

    /** Every DomainMigration, all namespaces (a migration's hand-over lets the controller change spec.nodeName). */
    default List<io.domainoperator.api.v1alpha1.DomainMigration> migrations() {
        return List.of();
    }

    /** Called with each DomainConfig this replica admitted (not for dry runs), before the cache shows it. */
    default void admitted(DomainConfig domain) {
    }
}
