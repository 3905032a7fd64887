package io.domainoperator.controller.agent;

import io.domainoperator.api.v1alpha1.PhysicalIOAdapter;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * This node's PhysicalIOAdapters as the agent's informer last saw them: what an assign or a release reads instead of
 * listing on the API server, so that a slow or stopped server delays no device move. The cache can lag an
 * administrator's edit by a watch event; the host-side safety rules do not depend on it alone
 * ({@link io.domainoperator.device.HostKeptDevices} checks the newest object at the sysfs write, and the node's
 * management ports as found on the host).
 */
public final class NodeAdapterCache implements AutoCloseable {
    private final SharedIndexInformer<PhysicalIOAdapter> informer;
    private final String node;

    public NodeAdapterCache(KubernetesClient client, String node) {
        this.informer = client.resources(PhysicalIOAdapter.class).runnableInformer(0);
        this.node = node;
    }

    /** Starts the watch and waits for its first list (agent start: the API server must answer then anyway). */
    public NodeAdapterCache start(Duration timeout) {
        try {
            informer.start().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot list PhysicalIOAdapters within " + timeout + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing PhysicalIOAdapters", e);
        }
        return this;
    }

    /** This node's adapters as cached now (the informer's objects: copy before changing one). */
    public List<PhysicalIOAdapter> list() {
        return informer.getStore().list().stream()
            .filter(a -> a.getSpec() != null && node.equals(a.getSpec().getNodeName())).toList();
    }

    @Override
    public void close() {
        informer.close();
    }
}
