package io.domainoperator.e2e.harness;

import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstantiationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provides a {@link NodeCluster} to classes annotated with {@link KubeNode}: the cluster {@code KUBECONFIG} names
 * with its first node, else a {@link LocalKubeNode} started once per JVM (the root store closes it at the end of
 * the run). Without a cluster and without the node's parts the class is skipped, naming what is missing and how
 * to get it.
 */
public final class KubeNodeExtension implements ExecutionCondition, BeforeAllCallback, ParameterResolver {

    private static final Logger LOG = LoggerFactory.getLogger(KubeNodeExtension.class);
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KubeNodeExtension.class);

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (ExternalKubeCluster.configuredKubeconfig().isPresent()) {
            return ConditionEvaluationResult.enabled("KUBECONFIG names a cluster");
        }
        return switch (NodeBinaries.locate()) {
            case NodeBinaries.Found found -> ConditionEvaluationResult.enabled("local node from " + found.nodeDir());
            case NodeBinaries.Missing missing -> {
                String reason = "no Kubernetes node for this suite: " + missing.reason();
                LOG.warn("{} skipped: {}", context.getDisplayName(), reason);
                yield ConditionEvaluationResult.disabled(reason);
            }
        };
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NAMESPACE).put(NodeCluster.class, nodeCluster(context));
    }

    private static NodeCluster nodeCluster(ExtensionContext context) {
        ExtensionContext.Store root = context.getRoot().getStore(NAMESPACE);
        Optional<String> external = ExternalKubeCluster.configuredKubeconfig();
        if (external.isPresent()) {
            ExternalKubeCluster cluster = root.getOrComputeIfAbsent("external:" + external.get(),
                    key -> ExternalKubeCluster.connect(external.get()), ExternalKubeCluster.class);
            String node = cluster.kubectl().ok("get", "nodes", "-o", "jsonpath={.items[0].metadata.name}").stdout().strip();
            return new NodeCluster(cluster, node, Optional.empty());
        }
        NodeBinaries.Found binaries = switch (NodeBinaries.locate()) {
            case NodeBinaries.Found found -> found;
            case NodeBinaries.Missing missing -> throw new TestInstantiationException(missing.reason());
        };
        LocalKubeNode node = root.getOrComputeIfAbsent(LocalKubeNode.class,
                key -> LocalKubeNode.start(binaries, KubeApiServerExtension.logRoot()), LocalKubeNode.class);
        return new NodeCluster(node.cluster(), node.nodeName(), Optional.of(node));
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == NodeCluster.class || type == Kubectl.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        NodeCluster node = context.getStore(NAMESPACE).get(NodeCluster.class, NodeCluster.class);
        if (node == null) {
            throw new IllegalStateException("no node for " + context.getUniqueId() + "; annotate the test class with @KubeNode");
        }
        return parameter.getParameter().getType() == Kubectl.class ? node.kubectl() : node;
    }
}
