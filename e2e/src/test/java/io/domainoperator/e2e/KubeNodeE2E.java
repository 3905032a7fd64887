package io.domainoperator.e2e;

import static io.domainoperator.e2e.harness.Domains.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import io.domainoperator.e2e.harness.KubeNode;
import io.domainoperator.e2e.harness.Kubectl;
import io.domainoperator.e2e.harness.LocalKubeNode;
import io.domainoperator.e2e.harness.NodeCluster;

/**
 * The node {@link KubeNode} provides runs pods: it is Ready, a pod of the pause image (already on the node,
 * pull policy Never) is scheduled onto it, runs, and gets an address on the pod network.
 */
// Last in the order, so the second worker runs it first (junit-platform.properties): the JVM's one local node starts
// here, beside the first worker's guest class, and HelmInstallE2E finds it up instead of starting it under the guests'
// lock.
@Order(Order.DEFAULT + 3)
@KubeNode
class KubeNodeE2E {
    private NodeCluster node;
    private String namespace;

    @Test
    void aPodRunsOnTheNode(NodeCluster node) {
        this.node = node;
        Kubectl kubectl = node.kubectl();
        assertThat(kubectl.ok("get", "node", node.nodeName(), "-o",
                "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}").stdout()).isEqualTo("True");
        namespace = node.cluster().createNamespace("e2e-node");
        // The local node has the pause image and no registry; a real cluster pulls the usual one.
        String image = node.local().map(LocalKubeNode::pauseImage).orElse("registry.k8s.io/pause:3.4.1");
        kubectl.ok("run", "sleeper", "-n", namespace, "--image=" + image, "--restart=Never",
                "--image-pull-policy=" + (node.local().isPresent() ? "Never" : "IfNotPresent"));

        eventually("the pod Running").untilAsserted(() -> assertThat(kubectl.ok("get", "pod", "sleeper", "-n", namespace,
                "-o", "jsonpath={.status.phase}").stdout()).as(kubectl.run("describe", "pod", "sleeper", "-n", namespace)
                .stdout()).isEqualTo("Running"));
        assertThat(kubectl.ok("get", "pod", "sleeper", "-n", namespace, "-o", "jsonpath={.spec.nodeName}").stdout())
                .isEqualTo(node.nodeName());
        if (node.local().isPresent()) {
            assertThat(kubectl.ok("get", "pod", "sleeper", "-n", namespace, "-o", "jsonpath={.status.podIP}").stdout())
                    .startsWith("10.244.123.");
        }
    }

    @AfterEach
    void cleanUp() {
        if (node != null && namespace != null) {
            node.kubectl().run("delete", "pod", "sleeper", "-n", namespace, "--wait=false");
            node.cluster().deleteNamespace(namespace);
        }
    }
}
