package io.domainoperator.e2e.harness;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One QEMU node of an E2E: its namespace and node name on the API server, its state directory, and the agent
 * processes started on it one after another, as a DaemonSet restarts its pod. {@link #close()} ends the agents,
 * every QEMU of the state directory and the namespace, whatever point the test reached.
 */
public final class QemuAgentNode implements AutoCloseable {
    private final KubeCluster cluster;
    private final Path stateDir;
    private final String namespace;
    private final String name;
    private final Domains domains;
    private final List<OperatorProcess> agents = new ArrayList<>();

    /** Installs the CRDs and creates the node's namespace ({@code prefix} and a suffix); the node is {@code node-<namespace>}. */
    public QemuAgentNode(KubeCluster cluster, String namespacePrefix, Path stateDir) {
        this.cluster = cluster;
        this.stateDir = stateDir;
        Crds.install(cluster.kubectl());
        this.namespace = cluster.createNamespace(namespacePrefix);
        this.name = "node-" + namespace;
        this.domains = new Domains(cluster.kubectl(), namespace);
    }

    /** A new agent process on this node's state directory (QEMU, user networking), once it is ready. */
    public OperatorProcess startAgent() {
        OperatorProcess agent = OperatorProcess.agent(cluster.kubeconfig(), name, "qemu", stateDir, namespace,
            "--qemu-user-networking");
        agents.add(agent); // before the wait: an agent that never gets ready is ended too
        return agent.awaitReady();
    }

    public String name() {
        return name;
    }

    public Domains domains() {
        return domains;
    }

    @Override
    public void close() {
        agents.forEach(OperatorProcess::close);
        QemuGuest.killAll(stateDir);
        cluster.deleteNamespace(namespace);
    }
}
