package io.domainoperator.controller.agent;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the global knobs from a ConfigMap at start and whenever it changes: flags give the base, the
 * ConfigMap's data overrides them. A bad value is logged with the knob's name and the previous knobs stay in
 * force, so a typo cannot turn a node's timers off.
 */
public final class KnobsWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KnobsWatcher.class);
    private final SharedIndexInformer<ConfigMap> informer;

    public KnobsWatcher(KubernetesClient client, String namespaceSlashName, GlobalKnobs fromFlags, Consumer<GlobalKnobs> apply) {
        String[] parts = namespaceSlashName.split("/", 2);
        if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
            throw new IllegalArgumentException("--knobs-configmap must be NAMESPACE/NAME, is '" + namespaceSlashName + "'");
        }
        Consumer<ConfigMap> bind = cm -> {
            Map<String, String> data = cm == null || cm.getData() == null ? Map.of() : cm.getData();
            try {
                apply.accept(fromFlags.with(data));
            } catch (IllegalArgumentException e) {
                LOG.error("ConfigMap {}: {}; keeping the previous knobs", namespaceSlashName, e.getMessage());
            }
        };
        informer = client.configMaps().inNamespace(parts[0]).withName(parts[1]).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(ConfigMap cm) {
                bind.accept(cm);
            }

            @Override
            public void onUpdate(ConfigMap old, ConfigMap cm) {
                bind.accept(cm);
            }

            @Override
            public void onDelete(ConfigMap cm, boolean unknown) {
                bind.accept(null);
            }
        });
    }

    @Override
    public void close() {
        informer.close();
    }
}
