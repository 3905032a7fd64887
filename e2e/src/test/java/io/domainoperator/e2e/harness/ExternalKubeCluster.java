package io.domainoperator.e2e.harness;

import io.fabric8.kubernetes.api.model.AuthInfo;
import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.NamedAuthInfo;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Stream;

/**
 * The cluster the {@code KUBECONFIG} environment variable names (kind, k3s, a test cluster). Its current
 * context is flattened into one file; other identities are reached by impersonation, which needs the
 * current user to be allowed to impersonate (cluster-admin is).
 */
public final class ExternalKubeCluster implements KubeCluster, AutoCloseable {

    private final String kubeconfigEnv;
    private final Path workDir;
    private final Path adminKubeconfig;
    private final ConcurrentMap<Identity, Path> identityKubeconfigs = new ConcurrentHashMap<>();

    private ExternalKubeCluster(String kubeconfigEnv, Path workDir, Path adminKubeconfig) {
        this.kubeconfigEnv = kubeconfigEnv;
        this.workDir = workDir;
        this.adminKubeconfig = adminKubeconfig;
    }

    /** The cluster {@code KUBECONFIG} names, when it names at least one existing file. */
    public static Optional<String> configuredKubeconfig() {
        String env = System.getenv("KUBECONFIG");
        if (env == null || env.isBlank()) {
            return Optional.empty();
        }
        for (String file : env.split(java.io.File.pathSeparator)) {
            if (!file.isBlank() && Files.isRegularFile(Path.of(file))) {
                return Optional.of(env);
            }
        }
        return Optional.empty();
    }

    public static ExternalKubeCluster connect(String kubeconfigEnv) {
        try {
            Path workDir = Files.createTempDirectory("domain-operator-e2e-kubeconfig-");
            Path flattened = workDir.resolve("admin.kubeconfig");
            // kubectl merges a KUBECONFIG list exactly as users expect; the copy holds only the current context.
            Kubectl.Result view = Kubectl.withEnvironmentKubeconfig(kubeconfigEnv)
                    .ok("config", "view", "--raw", "--minify", "--flatten");
            Files.writeString(flattened, view.stdout());
            ExternalKubeCluster cluster = new ExternalKubeCluster(kubeconfigEnv, workDir, flattened);
            cluster.kubectl().ok("version");
            return cluster;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Path kubeconfig() {
        return adminKubeconfig;
    }

    @Override
    public Path kubeconfig(Identity identity) {
        if (identity.equals(Identity.ADMIN)) {
            return adminKubeconfig;
        }
        return identityKubeconfigs.computeIfAbsent(identity, this::writeImpersonating);
    }

    private Path writeImpersonating(Identity identity) {
        try {
            Config config = KubeConfigUtils.parseConfig(adminKubeconfig.toFile());
            for (NamedAuthInfo named : config.getUsers()) {
                AuthInfo user = named.getUser();
                user.setAs(identity.user());
                user.setAsGroups(identity.groups());
            }
            Path file = workDir.resolve(identity.slug() + ".kubeconfig");
            Files.writeString(file, Serialization.asYaml(config));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Optional<AuthorizationMode> authorizationMode() {
        return Optional.empty();
    }

    @Override
    public String description() {
        return "external cluster from KUBECONFIG=" + kubeconfigEnv;
    }

    /** Removes the generated kubeconfigs (they hold the cluster's credentials); the cluster stays as it was. */
    @Override
    public void close() {
        try (Stream<Path> files = Files.walk(workDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + workDir, e);
        }
    }
}
