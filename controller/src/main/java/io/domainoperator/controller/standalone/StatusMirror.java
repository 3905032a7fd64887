package io.domainoperator.controller.standalone;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainConfigStatus;
import io.domainoperator.hypervisor.AtomicFiles;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Standalone mode's status output: every DomainConfig status change is written to
 * {@code <state>/status/<namespace>_<name>.yaml} (atomically) and logged as one line.
 */
public final class StatusMirror implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatusMirror.class);
    private final Path dir;
    private final SharedIndexInformer<DomainConfig> informer;

    public StatusMirror(KubernetesClient client, Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
        informer = client.resources(DomainConfig.class).inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(DomainConfig obj) {
                write(obj);
            }

            @Override
            public void onUpdate(DomainConfig old, DomainConfig obj) {
                if (!Objects.equals(old.getStatus(), obj.getStatus())) {
                    write(obj);
                }
            }

            @Override
            public void onDelete(DomainConfig obj, boolean unknown) {
                try {
                    Files.deleteIfExists(file(obj));
                } catch (IOException e) {
                    LOG.warn("cannot remove status file of {}: {}", obj.getMetadata().getName(), e.getMessage());
                }
                LOG.info("{}/{}: deleted", obj.getMetadata().getNamespace(), obj.getMetadata().getName());
            }
        });
        removeStale();
    }

    /**
     * Status files of DomainConfigs this run does not have (their manifest went while no agent ran): a status file
     * must not say a domain runs that the folder no longer asks for. inform() returns once the cache is synced.
     */
    private void removeStale() throws IOException {
        java.util.Set<String> current = new java.util.HashSet<>();
        informer.getStore().list().forEach(dc -> current.add(file(dc).getFileName().toString()));
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".yaml")).toList()) {
                if (!current.contains(f.getFileName().toString())) {
                    Files.deleteIfExists(f);
                    LOG.info("{}: removed; no manifest asks for this domain any more", f.getFileName());
                }
            }
        }
    }

    private Path file(DomainConfig dc) {
        return dir.resolve(dc.getMetadata().getNamespace() + "_" + dc.getMetadata().getName() + ".yaml");
    }

    private void write(DomainConfig dc) {
        DomainConfigStatus s = dc.getStatus();
        if (s == null || s.getPhase() == null) {
            return;
        }
        Condition ready = s.condition("Ready");
        LOG.info("{}/{}: phase={} domid={} ready={}{}", dc.getMetadata().getNamespace(), dc.getMetadata().getName(),
            s.getPhase(), s.getDomainId() == null ? "-" : s.getDomainId(),
            ready == null ? "Unknown" : ready.getStatus(),
            ready == null || ready.getMessage() == null ? "" : " (" + ready.getReason() + ": " + ready.getMessage() + ")");
        try {
            AtomicFiles.write(file(dc), Serialization.asYaml(dc));
        } catch (UncheckedIOException e) {
            LOG.warn("cannot write status file of {}: {}", dc.getMetadata().getName(), e.getMessage());
        }
    }

    /**
     * Writes every status as the server has it now, without waiting for the informer's events: at exit, after the
     * halt on exit wrote Halted, the process would otherwise end before those events arrive.
     */
    public void writeAll(KubernetesClient client) {
        try {
            client.resources(DomainConfig.class).inAnyNamespace().list().getItems().forEach(this::write);
        } catch (RuntimeException e) {
            LOG.warn("cannot read the statuses to write at exit: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        informer.close();
    }
}
