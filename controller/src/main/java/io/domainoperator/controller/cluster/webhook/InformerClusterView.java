package io.domainoperator.controller.cluster.webhook;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.PhysicalIOAdapter;
import io.domainoperator.controller.cluster.ClusterDecider;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Informer caches of DomainConfigs (all namespaces) and PhysicalIOAdapters, on every replica: the webhook
 * answers on standbys too, while the leader's placement informers live and die with its term.
 *
 * <p>An object this replica has just admitted is not in the cache yet for a few milliseconds: {@code kubectl
 * apply} of two clashing manifests one after the other would pass both. So admitted objects are assumed
 * (as kube-scheduler assumes its bindings) until the informer reports that uid, or for {@link #ASSUME_FOR} at
 * most, in case the write failed after admission. The other replica's admissions are not seen until its
 * write reaches the cache; the cluster controller's pass still reports such a clash on both objects.
 */
public final class InformerClusterView implements ClusterView, AutoCloseable {
    static final Duration ASSUME_FOR = Duration.ofSeconds(30);

    private final SharedIndexInformer<DomainConfig> domainInformer;
    private final SharedIndexInformer<PhysicalIOAdapter> adapterInformer;
    private final SharedIndexInformer<io.domainoperator.api.v1alpha1.DomainMigration> migrationInformer;
    private final Clock clock;
    private final Map<String, Assumed> assumed = new ConcurrentHashMap<>();

    private record Assumed(DomainConfig domain, Instant until) {
    }

    public InformerClusterView(KubernetesClient client, Clock clock) {
        this.clock = clock;
        this.domainInformer = client.resources(DomainConfig.class).inAnyNamespace().runnableInformer(0);
        this.adapterInformer = client.resources(PhysicalIOAdapter.class).runnableInformer(0);
        this.migrationInformer = client.resources(io.domainoperator.api.v1alpha1.DomainMigration.class).inAnyNamespace()
            .runnableInformer(0);
        domainInformer.addEventHandler(new ResourceEventHandler<>() {
            @Override public void onAdd(DomainConfig obj) { seen(obj); }
            @Override public void onUpdate(DomainConfig oldObj, DomainConfig newObj) { seen(newObj); }
            @Override public void onDelete(DomainConfig obj, boolean deletedFinalStateUnknown) { seen(obj); }
        });
    }

    public InformerClusterView start() {
        domainInformer.start();
        adapterInformer.start();
        migrationInformer.start();
        return this;
    }

    /**
     * The write an assumed object stands for has reached the cache when the informer shows its uid with another
     * resourceVersion than the admitted object carried (none on a create, the previous one on an update).
     */
    private void seen(DomainConfig domain) {
        Assumed entry = assumed.get(ClusterDecider.key(domain));
        if (entry != null && Objects.equals(entry.domain().getMetadata().getUid(), domain.getMetadata().getUid())
            && !Objects.equals(entry.domain().getMetadata().getResourceVersion(), domain.getMetadata().getResourceVersion())) {
            assumed.remove(ClusterDecider.key(domain), entry);
        }
    }

    @Override
    public boolean synced() {
        return domainInformer.hasSynced() && adapterInformer.hasSynced() && migrationInformer.hasSynced();
    }

    @Override
    public List<DomainConfig> domains() {
        Instant now = clock.instant();
        assumed.values().removeIf(a -> a.until().isBefore(now));
        if (assumed.isEmpty()) {
            return domainInformer.getStore().list();
        }
        Map<String, DomainConfig> byKey = new HashMap<>();
        domainInformer.getStore().list().forEach(d -> byKey.put(ClusterDecider.key(d), d));
        assumed.forEach((key, a) -> byKey.put(key, a.domain()));
        return new ArrayList<>(byKey.values());
    }

    @Override
    public List<PhysicalIOAdapter> adapters() {
        return adapterInformer.getStore().list();
    }

    @Override
    public List<io.domainoperator.api.v1alpha1.DomainMigration> migrations() {
        return migrationInformer.getStore().list();
    }

    @Override
    public void admitted(DomainConfig domain) {
        assumed.put(ClusterDecider.key(domain), new Assumed(domain, clock.instant().plus(ASSUME_FOR)));
    }

    @Override
    public void close() {
        domainInformer.close();
        adapterInformer.close();
        migrationInformer.close();
    }
}
