package io.domainoperator.e2e.harness;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.TestAbortedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provides a {@link KubeCluster} to test classes annotated with {@link KubeApiServer}: the cluster
 * {@code KUBECONFIG} names, else a local etcd + kube-apiserver. Local servers are closed by JUnit when
 * the store that holds them closes: the root store at the end of the run ({@link KubeApiServer.Scope#JVM})
 * or the class's store after the class ({@link KubeApiServer.Scope#CLASS}).
 *
 * <p>When there is neither a cluster nor the binaries, the class is skipped with the reason and the way
 * to get them; when the binaries are there but the server does not come up, the class fails with its log.
 */
public final class KubeApiServerExtension implements ExecutionCondition, BeforeAllCallback, ParameterResolver {

    private static final Logger LOG = LoggerFactory.getLogger(KubeApiServerExtension.class);
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KubeApiServerExtension.class);

    /**
     * Disables (rather than aborts in {@code @BeforeAll}) a class without a server: build tools report a
     * disabled class as skipped with this reason, while an aborted class vanishes from their counts.
     */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (ExternalKubeCluster.configuredKubeconfig().isPresent()) {
            return ConditionEvaluationResult.enabled("KUBECONFIG names a cluster");
        }
        return switch (KubeBinaries.locate()) {
            case KubeBinaries.Found found -> ConditionEvaluationResult.enabled("local kube-apiserver " + found.kubeApiServer());
            case KubeBinaries.Missing missing -> {
                String reason = "no Kubernetes API server for the E2E suites: " + missing.reason();
                LOG.warn("{} skipped: {}", context.getDisplayName(), reason);
                yield ConditionEvaluationResult.disabled(reason);
            }
        };
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        KubeApiServer config = AnnotationSupport.findAnnotation(context.getRequiredTestClass(), KubeApiServer.class)
                .orElseGet(Defaults::annotation);
        // The holder is not AutoCloseable: the class store must not stop a server other classes share.
        context.getStore(NAMESPACE).put(ClusterRef.class, new ClusterRef(cluster(context, config)));
    }

    private record ClusterRef(KubeCluster cluster) {}

    /** The store key of a server owned by one class. */
    private record ClassScoped(LocalKubeCluster.Settings settings) {}

    private static KubeCluster cluster(ExtensionContext context, KubeApiServer config) {
        Optional<String> external = ExternalKubeCluster.configuredKubeconfig();
        if (external.isPresent()) {
            return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent("external:" + external.get(),
                    key -> ExternalKubeCluster.connect(external.get()), ExternalKubeCluster.class);
        }
        KubeBinaries.Found binaries = switch (KubeBinaries.locate()) {
            case KubeBinaries.Found found -> found;
            // The execution condition disabled the class already; this only runs if the binaries vanished since.
            case KubeBinaries.Missing missing -> throw new TestAbortedException(
                    "no Kubernetes API server for " + context.getRequiredTestClass().getSimpleName() + ": " + missing.reason());
        };
        List<Identity> identities = Arrays.stream(config.serviceAccounts()).map(Identity::serviceAccount).toList();
        LocalKubeCluster.Settings settings = new LocalKubeCluster.Settings(config.authorization(), identities, false,
                config.auditLog());
        // A store lookup falls back to the parent stores, so a class's own server needs a key the root store
        // never holds: keyed by the settings alone, a CLASS-scoped class got the JVM-wide server with equal settings.
        return switch (config.scope()) {
            case JVM -> context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(settings,
                    s -> LocalKubeCluster.start(binaries, s, logRoot()), LocalKubeCluster.class);
            case CLASS -> context.getStore(NAMESPACE).getOrComputeIfAbsent(new ClassScoped(settings),
                    key -> LocalKubeCluster.start(binaries, key.settings(), logRoot()), LocalKubeCluster.class);
        };
    }

    /** Logs stay after the run for post-mortems; failsafe points this into target/. */
    public static Path logRoot() {
        String configured = System.getProperty("domainoperator.e2e.logs");
        return configured != null ? Path.of(configured) : Path.of("target", "e2e-logs");
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == KubeCluster.class || type == Kubectl.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ClusterRef ref = context.getStore(NAMESPACE).get(ClusterRef.class, ClusterRef.class);
        if (ref == null) {
            throw new IllegalStateException("no cluster for " + context.getUniqueId()
                    + "; annotate the test class with @KubeApiServer");
        }
        KubeCluster cluster = ref.cluster();
        return parameter.getParameter().getType() == Kubectl.class ? cluster.kubectl() : cluster;
    }

    /** Carries the annotation's defaults for classes that use {@code @ExtendWith} without it. */
    @KubeApiServer
    private static final class Defaults {
        static KubeApiServer annotation() {
            return Defaults.class.getAnnotation(KubeApiServer.class);
        }
    }
}
