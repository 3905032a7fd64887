package io.domainoperator.e2e.harness;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the programs a local API server needs: kube-apiserver (built into the cache by
 * {@code e2e/build-kube-apiserver.sh}), etcd (Debian's etcd-server) and kubectl.
 */
public final class KubeBinaries {

    public static final String BUILD_HINT = "run e2e/build-kube-apiserver.sh (builds it once into the cache, a few minutes)"
            + " or point KUBECONFIG at a cluster (kind, k3s); see e2e/README.md";
    public static final String KUBECTL_MISSING = "kubectl is not on PATH (nor named by -Ddomainoperator.kubectl);"
            + " install kubectl, the E2E suite drives every scenario with it";

    /** Where the binaries are, or why they are not. */
    public sealed interface Availability permits Found, Missing {}

    public record Found(Path kubeApiServer, Path etcd) implements Availability {}

    public record Missing(String reason) implements Availability {}

    private KubeBinaries() {}

    public static Availability locate() {
        if (kubectl().isEmpty()) {
            return new Missing(KUBECTL_MISSING);
        }
        Path cache = cacheDir();
        Optional<Path> apiServer = configured("domainoperator.kube-apiserver", "KUBE_APISERVER")
                .or(() -> newestCached(cache));
        if (apiServer.isEmpty()) {
            return new Missing("no kube-apiserver binary under " + cache + "/kube-apiserver-<version>/: " + BUILD_HINT);
        }
        if (!Files.isExecutable(apiServer.get())) {
            return new Missing(apiServer.get() + " is not an executable file: " + BUILD_HINT);
        }
        Optional<Path> etcd = configured("domainoperator.etcd", "ETCD").or(() -> onPath("etcd"));
        if (etcd.isEmpty()) {
            return new Missing("etcd is not on PATH: install Debian's etcd-server (e2e/build-kube-apiserver.sh does)"
                    + " or point KUBECONFIG at a cluster");
        }
        return new Found(apiServer.get(), etcd.get());
    }

    public static Optional<Path> kubectl() {
        return configured("domainoperator.kubectl", "KUBECTL").or(() -> onPath("kubectl"));
    }

    /** {@code DOMAIN_OPERATOR_CACHE} (or the system property {@code domainoperator.cache}), as .ci/lib.sh sets it. */
    public static Path cacheDir() {
        return configured("domainoperator.cache", "DOMAIN_OPERATOR_CACHE")
                .orElse(Path.of(System.getProperty("user.home"), ".cache", "domain-operator"));
    }

    private static Optional<Path> configured(String property, String env) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(env);
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(Path.of(value));
    }

    private static Optional<Path> newestCached(Path cache) {
        if (!Files.isDirectory(cache)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(cache)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("kube-apiserver-"))
                    .map(d -> d.resolve("kube-apiserver"))
                    .filter(Files::isExecutable)
                    .max(Comparator.comparing(KubeBinaries::version));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Compared as versions: as text, 1.9.0 would sort after 1.20.2. */
    private static Runtime.Version version(Path binary) {
        String name = binary.getParent().getFileName().toString().substring("kube-apiserver-".length());
        try {
            return Runtime.Version.parse(name);
        } catch (IllegalArgumentException e) {
            return Runtime.Version.parse("0");
        }
    }

    private static Optional<Path> onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return Stream.of(path.split(File.pathSeparator))
                .filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir, program))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
