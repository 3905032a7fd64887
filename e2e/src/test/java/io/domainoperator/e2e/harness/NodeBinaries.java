package io.domainoperator.e2e.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a local one-node cluster needs besides the API server: the node binaries and the pause image that
 * {@code e2e/build-kube-apiserver.sh} and {@code e2e/build-pause-image.sh} put into the cache, Debian's
 * containerd, runc, CNI plugins and iptables, and root (kubelet and containerd manage cgroups, mounts and
 * network namespaces).
 */
public final class NodeBinaries {

    public static final String VERSION = "1.20.2";
    public static final String SETUP_HINT = "run .ci/setup.d/45-kube-node.sh (builds the node binaries once, installs containerd,"
            + " runc and the CNI plugins) or point KUBECONFIG at a cluster with a node; see e2e/README.md";
    public static final Path CNI_BIN_DIR = Path.of("/usr/lib/cni");

    /** Where the parts are, or why they are not. */
    public sealed interface Availability permits Found, Missing {}

    public record Found(KubeBinaries.Found apiServer, Path nodeDir, Path containerd, Path ctr, Path runc, Path pauseImage,
                 String pauseImageName) implements Availability {
        Path kubelet() {
            return nodeDir.resolve("kubelet");
        }

        Path controllerManager() {
            return nodeDir.resolve("kube-controller-manager");
        }

        Path scheduler() {
            return nodeDir.resolve("kube-scheduler");
        }
    }

    public record Missing(String reason) implements Availability {}

    private NodeBinaries() {}

    public static Availability locate() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return new Missing("a local node needs root (kubelet and containerd manage cgroups, mounts and network"
                    + " namespaces); run as root or point KUBECONFIG at a cluster with a node");
        }
        KubeBinaries.Found apiServer = switch (KubeBinaries.locate()) {
            case KubeBinaries.Found found -> found;
            case KubeBinaries.Missing missing -> null;
        };
        if (apiServer == null) {
            return new Missing("no kube-apiserver: " + KubeBinaries.BUILD_HINT);
        }
        Path nodeDir = KubeBinaries.cacheDir().resolve("kube-node-" + VERSION);
        List<String> missing = new ArrayList<>();
        for (String binary : List.of("kubelet", "kube-controller-manager", "kube-scheduler")) {
            if (!Files.isExecutable(nodeDir.resolve(binary))) {
                missing.add(nodeDir.resolve(binary).toString());
            }
        }
        Path pauseImage = nodeDir.resolve("pause-image.tar");
        Path pauseName = nodeDir.resolve("pause-image.name");
        if (!Files.isRegularFile(pauseImage) || !Files.isRegularFile(pauseName)) {
            missing.add(pauseImage + " (e2e/build-pause-image.sh)");
        }
        Path containerd = onPath("containerd", missing);
        Path ctr = onPath("ctr", missing);
        Path runc = onPath("runc", missing);
        onPath("iptables", missing);
        onPath("iptables-save", missing);
        if (!Files.isExecutable(CNI_BIN_DIR.resolve("bridge"))) {
            missing.add(CNI_BIN_DIR.resolve("bridge") + " (containernetworking-plugins)");
        }
        if (!missing.isEmpty()) {
            return new Missing("missing " + String.join(", ", missing) + ": " + SETUP_HINT);
        }
        try {
            return new Found(apiServer, nodeDir, containerd, ctr, runc, pauseImage, Files.readString(pauseName).strip());
        } catch (java.io.IOException e) {
            return new Missing("cannot read " + pauseName + ": " + e.getMessage());
        }
    }

    private static Path onPath(String program, List<String> missing) {
        for (String dir : List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin")) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        missing.add(program);
        return null;
    }
}
