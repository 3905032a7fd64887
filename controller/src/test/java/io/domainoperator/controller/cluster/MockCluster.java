package io.domainoperator.controller.cluster;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.PhysicalIOAdapter;
import io.domainoperator.hypervisor.HostInfo;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fresh fabric8 mock API server in CRUD mode with the committed CRDs installed (so that status is a
 * subresource, as on a real server), plus the controllers and heartbeats a test starts, closed together.
 */
final class MockCluster implements AutoCloseable {
    static final String LEASES = "domain-operator-system";
    static final ClusterController.Timings FAST = new ClusterController.Timings(
        Duration.ofSeconds(2), Duration.ofMillis(1500), Duration.ofMillis(200), Duration.ofMillis(300));

    final KubernetesMockServer server;
    final KubernetesClient client;
    private final List<AutoCloseable> started = new ArrayList<>();

    static {
        // The mock server logs every request and body at DEBUG; at 10,000 objects that is gigabytes.
        for (String noisy : List.of("io.fabric8", "io.netty", "io.vertx", "okhttp3")) {
            ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(noisy)).setLevel(ch.qos.logback.classic.Level.INFO);
        }
    }

    MockCluster() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init();
        client = server.createClient();
        for (String crd : List.of("domainconfigs.domainoperator.io-v1.yml", "physicalioadapters.domainoperator.io-v1.yml",
            "domainmigrations.domainoperator.io-v1.yml")) {
            Path file = crdDir().resolve(crd);
            client.resources(CustomResourceDefinition.class).load(file.toFile()).create();
        }
    }

    /** The committed CRD YAML of the crds module (tests run in controller/). */
    private static Path crdDir() {
        Path dir = Path.of(System.getProperty("crdDir", "../crds"));
        if (!Files.isRegularFile(dir.resolve("domainconfigs.domainoperator.io-v1.yml"))) {
            throw new IllegalStateException("committed CRDs not found in " + dir.toAbsolutePath()
                + "; run the test from the controller module or set -DcrdDir");
        }
        return dir;
    }

    ClusterController controller(String identity, Clock clock) {
        ClusterController controller = new ClusterController(client, LEASES, identity, clock, FAST);
        started.add(controller);
        controller.start();
        return controller;
    }

    /** A node agent's heartbeat with a settable free memory, renewed by the test (renewOnce). */
    Node node(String name, long freeMiB, Clock clock) {
        AtomicLong free = new AtomicLong(freeMiB * 1024 * 1024);
        NodeHeartbeat heartbeat = new NodeHeartbeat(client, LEASES, name, "sim",
            () -> new HostInfo(8, 2 * free.get(), free.get(), 0), clock);
        started.add(heartbeat);
        heartbeat.renewOnce();
        return new Node(heartbeat, free);
    }

    record Node(NodeHeartbeat heartbeat, AtomicLong freeBytes) {
    }

    DomainConfig create(DomainConfig domain) {
        return client.resource(domain).create();
    }

    PhysicalIOAdapter create(PhysicalIOAdapter adapter) {
        return client.resource(adapter).create();
    }

    DomainConfig get(String namespace, String name) {
        return client.resources(DomainConfig.class).inNamespace(namespace).withName(name).get();
    }

    @Override
    public void close() {
        for (AutoCloseable c : started.reversed()) {
            try {
                c.close();
            } catch (Exception e) {
                // keep closing the rest
            }
        }
        client.close();
        server.destroy();
    }
}
