package io.domainoperator.e2e.harness;

import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;

/**
 * A Kubernetes API server the E2E suites drive: the local one this suite starts, or the cluster
 * {@code KUBECONFIG} names. Scenarios talk to it through kubeconfig files, so the agent and controller
 * processes they launch reach it the way they would in production.
 */
public sealed interface KubeCluster permits LocalKubeCluster, ExternalKubeCluster {

    /** A kubeconfig file for the administrator ({@link Identity#ADMIN} on the local server). */
    Path kubeconfig();

    /**
     * A kubeconfig file acting as {@code identity}: its static token on the local server (declare it in
     * {@link KubeApiServer#serviceAccounts()}), impersonation by the current user on an external cluster.
     */
    Path kubeconfig(Identity identity);

    /** The authorization mode in force, when this suite chose it (empty on an external cluster). */
    Optional<AuthorizationMode> authorizationMode();

    /** One line for logs and failure messages: which server and how it was found. */
    String description();

    default Kubectl kubectl() {
        return new Kubectl(kubeconfig());
    }

    default Kubectl kubectl(Identity identity) {
        return new Kubectl(kubeconfig(identity));
    }

    /**
     * Creates a namespace with a unique name starting with {@code prefix}, so suites neither collide with
     * each other on a shared server nor with what else runs on an external cluster.
     */
    default String createNamespace(String prefix) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        kubectl().ok("create", "namespace", name);
        return name;
    }

    /**
     * Deletes a namespace without waiting: the local server runs no namespace controller, so its
     * namespaces stay Terminating until the server's etcd data is thrown away.
     */
    default void deleteNamespace(String name) {
        if (name == null) {
            return; // never created: the set-up failed before
        }
        kubectl().run("delete", "namespace", name, "--wait=false", "--ignore-not-found");
    }
}
