package io.domainoperator.e2e.harness;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real one-node Kubernetes cluster on this machine: the suite's etcd and kube-apiserver
 * ({@link LocalKubeCluster}, listening where pods reach it), kube-controller-manager, kube-scheduler, a
 * containerd of its own (root, state and socket under a temp directory, the cached pause image as its sandbox
 * image, CNI's bridge plugin from {@code /usr/lib/cni}) and a kubelet on it.
 *
 * <p>No kube-proxy: one DNAT rule sends the API server's service address ({@code 10.0.0.1:443}, which the
 * pods' {@code KUBERNETES_SERVICE_HOST} names and the server's certificate holds) to the server. Services are
 * otherwise reached through the API server's proxy. The host's sysctls that kubelet changes and its iptables
 * are saved before and restored after ({@link HostSettings}).
 */
public final class LocalKubeNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalKubeNode.class);
    static final String NODE_NAME = "e2e-node";
    /** The pods' bridge; its address is the node's address and where the DNAT rule points. */
    static final String BRIDGE = "do-e2e0";
    static final String POD_SUBNET = "10.244.123.0/24";
    static final String NODE_IP = "10.244.123.1";
    static final String SERVICE_IP = "10.0.0.1";
    private static final String NAT_CHAIN = "DO-E2E-APISERVER";
    static final Identity KUBELET = new Identity("system:node:" + NODE_NAME, List.of("system:nodes"));
    private static final Duration COMMAND = Duration.ofMinutes(2);
    private static final Duration NODE_READY = Duration.ofMinutes(4);

    private final NodeBinaries.Found binaries;
    private final Path workDir;
    private final Path logDir;
    private final HostSettings hostSettings;
    private final List<ManagedProcess> processes = new ArrayList<>();
    private LocalKubeCluster cluster;
    private ManagedProcess kubelet;
    private ManagedProcess containerd;
    private boolean networkSetUp;

    private LocalKubeNode(NodeBinaries.Found binaries, Path workDir, Path logDir, HostSettings hostSettings) {
        this.binaries = binaries;
        this.workDir = workDir;
        this.logDir = logDir;
        this.hostSettings = hostSettings;
    }

    static LocalKubeNode start(NodeBinaries.Found binaries, Path logRoot) {
        LocalKubeNode node;
        NodeLeftovers leftovers = leftovers();
        leftovers.reclaim();
        try {
            Path workDir = Files.createTempDirectory("do-e2e-node-");
            node = new LocalKubeNode(binaries, workDir, logRoot.resolve(workDir.getFileName().toString()), HostSettings.save());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            leftovers.recordRun(node.workDir, node.hostSettings);
            node.cluster = LocalKubeCluster.start(binaries.apiServer(),
                    new LocalKubeCluster.Settings(AuthorizationMode.ALWAYS_ALLOW, List.of(KUBELET), true), logRoot);
            node.setUpNetwork();
            node.startContainerd();
            node.startControlPlane();
            node.startKubelet();
            node.awaitReady();
            LOG.info("{} ready", node.description());
            return node;
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
    }

    public KubeCluster cluster() {
        return cluster;
    }

    public String nodeName() {
        return NODE_NAME;
    }

    /** The sandbox image, loaded at start: an image every pod of this node can run without a registry. */
    public String pauseImage() {
        return binaries.pauseImageName();
    }

    /** A directory on the host for the hostPaths of a test's pods; removed with the node. */
    public Path hostDir(String name) {
        try {
            return Files.createDirectories(workDir.resolve("host").resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loads an OCI or Docker image archive into the node's containerd, where kubelet finds it (pull policy Never). */
    public void loadImage(Path archive) {
        ctr("images", "import", archive.toString());
    }

    /**
     * Loads an OCI archive whose index names its image by tag only ({@code org.opencontainers.image.ref.name}),
     * as {@code <baseName>:<tag>}.
     */
    public void loadImage(Path archive, String baseName) {
        ctr("images", "import", "--base-name", baseName, archive.toString());
    }

    /** Gives an image a second name, e.g. a new tag to roll a DaemonSet to. */
    public void tagImage(String source, String target) {
        ctr("images", "tag", "--force", source, target);
    }

    /** The images the node's containerd holds, by name. */
    public List<String> images() {
        return ctr("images", "ls", "-q").stdout().lines().filter(l -> !l.isBlank()).toList();
    }

    public String description() {
        return "local node " + NODE_NAME + " (kubelet, containerd " + socket() + ", logs " + logDir + ") on " + cluster.description();
    }

    static NodeLeftovers leftovers() {
        return new NodeLeftovers(NodeLeftovers.RECORD, BRIDGE, NAT_CHAIN);
    }

    private Path socket() {
        return workDir.resolve("containerd.sock");
    }

    private void setUpNetwork() {
        // The bridge exists before the first pod, so the DNAT target is a local address from the start.
        run("ip", "link", "add", BRIDGE, "type", "bridge");
        networkSetUp = true;
        run("ip", "addr", "add", NODE_IP + "/24", "dev", BRIDGE);
        run("ip", "link", "set", BRIDGE, "up");
        run("iptables", "-t", "nat", "-N", NAT_CHAIN);
        run("iptables", "-t", "nat", "-A", NAT_CHAIN, "-d", SERVICE_IP + "/32", "-p", "tcp", "--dport", "443",
                "-j", "DNAT", "--to-destination", NODE_IP + ":" + cluster.port());
        run("iptables", "-t", "nat", "-I", "PREROUTING", "-j", NAT_CHAIN);
        run("iptables", "-t", "nat", "-I", "OUTPUT", "-j", NAT_CHAIN); // hostNetwork pods
        write(workDir.resolve("cni/10-do-e2e.conflist"), """
                {"cniVersion": "0.4.0", "name": "do-e2e", "plugins": [
                  {"type": "bridge", "bridge": "%s", "isGateway": true, "ipMasq": true, "hairpinMode": true,
                   "ipam": {"type": "host-local", "dataDir": "%s", "routes": [{"dst": "0.0.0.0/0"}],
                            "ranges": [[{"subnet": "%s", "gateway": "%s"}]]}},
                  {"type": "portmap", "capabilities": {"portMappings": true}}]}
                """.formatted(BRIDGE, workDir.resolve("cni-ipam"), POD_SUBNET, NODE_IP));
    }

    private void startContainerd() {
        Path config = write(workDir.resolve("containerd.toml"), """
                version = 2
                root = "%1$s/containerd-root"
                state = "%1$s/containerd-state"
                [grpc]
                  address = "%2$s"
                [plugins."io.containerd.internal.v1.opt"]
                  path = "%1$s/containerd-opt"
                [plugins."io.containerd.grpc.v1.cri"]
                  # runc cannot set oom_score_adj below the caller's without CAP_SYS_RESOURCE, which this root lacks.
                  restrict_oom_score_adj = true
                  sandbox_image = "%3$s"
                  [plugins."io.containerd.grpc.v1.cri".containerd]
                    snapshotter = "overlayfs"
                    default_runtime_name = "runc"
                    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
                      runtime_type = "io.containerd.runc.v2"
                  [plugins."io.containerd.grpc.v1.cri".cni]
                    bin_dir = "%4$s"
                    conf_dir = "%1$s/cni"
                """.formatted(workDir, socket(), binaries.pauseImageName(), NodeBinaries.CNI_BIN_DIR));
        containerd = started("containerd", List.of(binaries.containerd().toString(), "--config", config.toString()));
        await("containerd socket " + socket()).atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(300))
                .until(() -> {
                    containerd.assertAlive();
                    return Files.exists(socket());
                });
        loadImage(binaries.pauseImage());
    }

    private void startControlPlane() {
        String admin = cluster.kubeconfig().toString();
        started("kube-controller-manager", List.of(binaries.controllerManager().toString(),
                "--kubeconfig", admin, "--leader-elect=false", "--port=0", "--secure-port=0",
                // Service-account token secrets: signed with the server's key, carrying its certificate as ca.crt.
                "--service-account-private-key-file", cluster.credentials().serviceAccountPrivateKey().toString(),
                "--root-ca-file", cluster.servingCertificate().toString(),
                "--controllers=*,-csrsigning,-csrapproving,-nodeipam"));
        started("kube-scheduler", List.of(binaries.scheduler().toString(),
                "--kubeconfig", admin, "--leader-elect=false", "--port=0", "--secure-port=0"));
    }

    private void startKubelet() {
        Path config = write(workDir.resolve("kubelet.yaml"), """
                apiVersion: kubelet.config.k8s.io/v1beta1
                kind: KubeletConfiguration
                cgroupDriver: cgroupfs
                failSwapOn: false
                makeIPTablesUtilChains: false
                readOnlyPort: 0
                port: %d
                healthzPort: 0
                authentication:
                  anonymous: {enabled: true}
                  webhook: {enabled: false}
                authorization: {mode: AlwaysAllow}
                # A shared CI disk must not make the node evict the suite's pods.
                evictionHard: {memory.available: "50Mi", nodefs.available: "1%%", imagefs.available: "1%%", nodefs.inodesFree: "1%%"}
                imageGCHighThresholdPercent: 100
                imageGCLowThresholdPercent: 99
                resolvConf: /etc/resolv.conf
                """.formatted(freePort()));
        kubelet = started("kubelet", List.of(binaries.kubelet().toString(),
                "--config", config.toString(),
                "--kubeconfig", cluster.kubeconfig(KUBELET).toString(),
                "--container-runtime=remote",
                "--container-runtime-endpoint=unix://" + socket(),
                "--pod-infra-container-image=" + binaries.pauseImageName(),
                "--root-dir", workDir.resolve("kubelet").toString(),
                "--cert-dir", workDir.resolve("kubelet-pki").toString(),
                "--hostname-override", NODE_NAME,
                "--node-ip", NODE_IP));
    }

    private void awaitReady() {
        Kubectl kubectl = cluster.kubectl();
        await("node " + NODE_NAME + " Ready").atMost(NODE_READY).pollInterval(Duration.ofSeconds(2)).until(() -> {
            processes.forEach(ManagedProcess::assertAlive);
            Kubectl.Result ready = kubectl.run("get", "node", NODE_NAME, "-o",
                    "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}");
            return ready.succeeded() && ready.stdout().strip().equals("True");
        });
        // Token secrets for the default service accounts come from the controller manager; pods wait for them.
        await("default service account").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1))
                .until(() -> kubectl.run("get", "serviceaccount", "default", "-n", "default").succeeded());
    }

    /**
     * Deletes every pod through the API (kubelet then stops their containers and tears their networks down),
     * stops the processes, removes what is left (containers, mounts, the bridge) and restores the host.
     */
    @Override
    public void close() {
        if (kubelet != null && kubelet.isAlive()) {
            cluster.kubectl().run(Duration.ofMinutes(3), null, List.of("delete", "pods", "--all", "--all-namespaces",
                    "--grace-period=10", "--timeout=150s"));
        }
        for (ManagedProcess process : processes.reversed()) {
            if (process != containerd) {
                process.close();
            }
        }
        if (containerd != null && containerd.isAlive()) {
            for (String task : ctr("tasks", "ls", "-q").stdout().lines().filter(l -> !l.isBlank()).toList()) {
                ctrQuietly("tasks", "kill", "--all", "--signal", "SIGKILL", task);
                ctrQuietly("tasks", "delete", "--force", task);
            }
            containerd.close();
        }
        NodeLeftovers.unmountUnder(workDir);
        NodeLeftovers leftovers = leftovers();
        if (networkSetUp) {
            Kubectl.exec(List.of("ip", "link", "del", BRIDGE), Map.of(), null, COMMAND);
            // The restore below puts back every table the host had; the chain goes even where it had no nat table.
            leftovers.removeChain();
        }
        hostSettings.restore();
        if (cluster != null) {
            cluster.close();
        }
        NodeLeftovers.deleteTree(workDir);
        leftovers.clearRecord();
        LOG.info("stopped {}", NODE_NAME);
    }

    private Kubectl.Result ctr(String... args) {
        Kubectl.Result result = ctrQuietly(args);
        if (!result.succeeded()) {
            throw new IllegalStateException(result.describe());
        }
        return result;
    }

    private Kubectl.Result ctrQuietly(String... args) {
        List<String> command = new ArrayList<>(List.of(binaries.ctr().toString(), "-a", socket().toString(), "-n", "k8s.io"));
        command.addAll(List.of(args));
        return Kubectl.exec(command, Map.of(), null, COMMAND);
    }

    private ManagedProcess started(String name, List<String> command) {
        ManagedProcess process = ManagedProcess.start(name, command, logDir.resolve(name + ".log"));
        processes.add(process);
        return process;
    }

    private static void run(String... command) {
        Kubectl.Result result = Kubectl.exec(List.of(command), Map.of(), null, COMMAND);
        if (!result.succeeded()) {
            throw new IllegalStateException(result.describe());
        }
    }

    private static Path write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }
}
