package io.domainoperator.bench;

import io.domainoperator.e2e.harness.AuthorizationMode;
import io.domainoperator.e2e.harness.KubeBinaries;
import io.domainoperator.e2e.harness.LocalKubeCluster;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A fresh etcd + kube-apiserver 1.20 for one scenario (the E2E suites' harness), the project's CRDs applied, one
 * namespace, and a client for the benchmark's own requests. Fresh per scenario: the local server runs no namespace
 * controller, so one scenario's thousand objects would otherwise stay in the next one's informer.
 */
public final class BenchCluster implements AutoCloseable {
    static final ResourceDefinitionContext DOMAIN_CONFIGS = new ResourceDefinitionContext.Builder()
        .withGroup("domainoperator.io").withVersion("v1alpha1").withKind("DomainConfig").withPlural("domainconfigs")
        .withNamespaced(true).build();

    private final LocalKubeCluster cluster;
    private final KubernetesClient client;
    private final String namespace;

    private BenchCluster(LocalKubeCluster cluster, KubernetesClient client, String namespace) {
        this.cluster = cluster;
        this.client = client;
        this.namespace = namespace;
    }

    public static BenchCluster start(Path repoRoot, Path logRoot, String namespace) {
        KubeBinaries.Found binaries = switch (KubeBinaries.locate()) {
            case KubeBinaries.Found found -> found;
            case KubeBinaries.Missing missing -> throw new IllegalStateException(
                "the benchmark runs against a real kube-apiserver: " + missing.reason());
        };
        LocalKubeCluster cluster = LocalKubeCluster.start(binaries,
            new LocalKubeCluster.Settings(AuthorizationMode.ALWAYS_ALLOW, List.of()), logRoot);
        try {
            cluster.kubectl().ok("apply", "-f", repoRoot.resolve("crds").toString());
            cluster.kubectl().ok("wait", "--for=condition=Established", "--timeout=120s",
                "customresourcedefinition/domainconfigs.domainoperator.io");
            cluster.kubectl().ok("create", "namespace", namespace);
            Config config = Config.fromKubeconfig(Files.readString(cluster.kubeconfig()));
            // Many creates in flight at 50/s: the client's default of 5 requests per host would queue them.
            config.setMaxConcurrentRequestsPerHost(64);
            config.setMaxConcurrentRequests(128);
            return new BenchCluster(cluster, new KubernetesClientBuilder().withConfig(config).build(), namespace);
        } catch (IOException e) {
            cluster.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    public KubernetesClient client() {
        return client;
    }

    public String namespace() {
        return namespace;
    }

    public Path kubeconfig() {
        return cluster.kubeconfig();
    }

    public String description() {
        return cluster.description();
    }

    public MixedOperation<GenericKubernetesResource, io.fabric8.kubernetes.api.model.GenericKubernetesResourceList,
        Resource<GenericKubernetesResource>> domainConfigs() {
        return client.genericKubernetesResources(DOMAIN_CONFIGS);
    }

    @Override
    public void close() {
        client.close();
        cluster.close();
    }
}
