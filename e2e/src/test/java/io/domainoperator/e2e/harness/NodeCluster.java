package io.domainoperator.e2e.harness;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A cluster with a node that runs pods: the local one ({@link LocalKubeNode}) or the one {@code KUBECONFIG} names.
 *
 * @param cluster  the API server, driven through kubectl as in every suite
 * @param nodeName the node the suite's pods run on
 * @param local    the local node, for what only it allows (loading images, host directories); empty on a real cluster
 */
public record NodeCluster(KubeCluster cluster, String nodeName, Optional<LocalKubeNode> local) {

    public Kubectl kubectl() {
        return cluster.kubectl();
    }

    /**
     * Makes an image archive available to the node's runtime. On a real cluster the image must already be where
     * its nodes pull from; this says so instead of loading it.
     */
    public boolean loadImage(Path archive) {
        local.ifPresent(node -> node.loadImage(archive));
        return local.isPresent();
    }
}
