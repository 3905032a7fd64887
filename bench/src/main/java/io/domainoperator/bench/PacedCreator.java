package io.domainoperator.bench;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Creates DomainConfigs at a steady rate (one every 1/rate s, on schedule whatever the previous request took), each
 * on a thread of a pool, its send time recorded in the {@link DomainWatch} just before the request.
 */
public final class PacedCreator {
    private final BenchCluster cluster;
    private final DomainWatch watch;
    private final String node;

    public PacedCreator(BenchCluster cluster, DomainWatch watch, String node) {
        this.cluster = cluster;
        this.watch = watch;
        this.node = node;
    }

    /** What was sent: the names and the rate achieved. */
    public record Result(List<String> names, double achievedPerSecond, int failures) {
    }

    /** A domain the simulator runs: no kernel, disk or NIC. 16 MiB, so that 10,000 fit the simulated host. */
    public GenericKubernetesResource manifest(String name) {
        return Serialization.unmarshal("""
            apiVersion: domainoperator.io/v1alpha1
            kind: DomainConfig
            metadata:
              name: %s
              namespace: %s
            spec:
              displayName: %s
              virtualizationMode: HVM
              vcpus: 1
              memoryMiB: 16
              shutdownTimeoutSeconds: 30
              nodeName: %s
            """.formatted(name, cluster.namespace(), name, node), GenericKubernetesResource.class);
    }

    /** Creates one now, recording its send time. */
    public void createOne(String name) {
        GenericKubernetesResource r = manifest(name);
        watch.creating(name);
        cluster.domainConfigs().inNamespace(cluster.namespace()).resource(r).create();
    }

    public Result create(String prefix, int count, double perSecond) {
        List<String> names = new ArrayList<>();
        List<GenericKubernetesResource> manifests = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = String.format("%s-%05d", prefix, i);
            names.add(name);
            manifests.add(manifest(name));
        }
        AtomicInteger failures = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(32);
        long interval = (long) (1e9 / perSecond);
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long due = start + i * interval;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            String name = names.get(i);
            GenericKubernetesResource r = manifests.get(i);
            pool.execute(() -> {
                try {
                    watch.creating(name);
                    cluster.domainConfigs().inNamespace(cluster.namespace()).resource(r).create();
                } catch (RuntimeException e) {
                    failures.incrementAndGet();
                    System.err.println("bench: create " + name + " failed: " + e.getMessage());
                }
            });
        }
        long lastSent = System.nanoTime();
        pool.shutdown();
        try {
            pool.awaitTermination(5, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        double seconds = (lastSent - start) / 1e9;
        return new Result(names, count <= 1 || seconds <= 0 ? perSecond : (count - 1) / seconds, failures.get());
    }
}
