package io.domainoperator.controller.cli;

import io.domainoperator.api.v1alpha1.Untrusted;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * The cluster the agent and the controller work against, asked once for its version before anything starts:
 * without a reachable API server the process says where it looked and what to set, and exits, instead of
 * informers retrying with stack traces.
 */
final class ClusterConnection {
    /** Long enough for a loaded API server, short enough for a user waiting at a prompt. */
    private static final int PROBE_TIMEOUT_MILLIS = 5_000;
    /**
     * In a pod nobody waits at a prompt, and a fresh JVM on a busy node (a CPU request, no limit) may need more
     * than five seconds for its first TLS handshake: exiting then only crash-loops the pod with growing back-off.
     */
    private static final int IN_POD_PROBE_TIMEOUT_MILLIS = 30_000;
    /** Tries of the version probe when it times out (see {@link #askVersion}). */
    private static final int PROBE_ATTEMPTS = 3;

    private ClusterConnection() {
    }

    static KubernetesClient connect(Map<String, String> env) {
        String kubeconfig = env.get("KUBECONFIG");
        if (kubeconfig != null && !kubeconfig.isBlank()
            && Arrays.stream(kubeconfig.split(File.pathSeparator)).noneMatch(f -> Files.isReadable(Path.of(f)))) {
            throw new Main.InvalidInputException("KUBECONFIG=" + Untrusted.quote(kubeconfig)
                + " names no readable file; point it at your cluster's kubeconfig");
        }
        Config config = Config.autoConfigure(null);
        int timeout = inPod(env, kubeconfig) ? IN_POD_PROBE_TIMEOUT_MILLIS : PROBE_TIMEOUT_MILLIS;
        Config probeConfig = new ConfigBuilder(config).withConnectionTimeout(timeout)
            .withRequestTimeout(timeout).withRequestRetryBackoffLimit(0).build();
        try (KubernetesClient probe = new KubernetesClientBuilder().withConfig(probeConfig).build()) {
            askVersion(probe);
        } catch (RuntimeException e) {
            throw new ClusterUnreachableException("cannot reach the Kubernetes API server at " + config.getMasterUrl()
                + " (" + rootCause(e) + "). Set KUBECONFIG to your cluster's kubeconfig, or run in a pod with a service"
                + " account; on one machine without a cluster use: domain-operator standalone --manifests DIR");
        }
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /**
     * A timeout is asked again, up to {@link #PROBE_ATTEMPTS} times in all: the first TLS handshake of a cold JVM on a
     * busy machine (class loading, the crypto providers' start-up) can take longer than the timeout by itself, the
     * next is warm. A refused or unresolvable address, or an error answer, fails at once.
     */
    private static void askVersion(KubernetesClient probe) {
        for (int attempt = 1; ; attempt++) {
            try {
                probe.getKubernetesVersion();
                return;
            } catch (RuntimeException e) {
                if (attempt == PROBE_ATTEMPTS || !timedOut(e)) {
                    throw e;
                }
            }
        }
    }

    /**
     * Whether the failure is a timeout anywhere in its causes: the JDK client's connect timeout arrives as an
     * {@code HttpConnectTimeoutException} caused by a {@code ConnectException("HTTP connect timed out")}.
     */
    static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.util.concurrent.TimeoutException || t instanceof java.net.SocketTimeoutException
                || t instanceof java.net.http.HttpTimeoutException
                || t instanceof java.net.ConnectException && t.getMessage() != null && t.getMessage().contains("timed out")) {
                return true;
            }
        }
        return false;
    }

    private static Throwable rootCauseOf(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    /** A pod's service account, as {@link Config#autoConfigure} finds it: no KUBECONFIG, the service's address set. */
    static boolean inPod(Map<String, String> env, String kubeconfig) {
        return (kubeconfig == null || kubeconfig.isBlank()) && env.get("KUBERNETES_SERVICE_HOST") != null;
    }

    private static String rootCause(Throwable e) {
        Throwable t = rootCauseOf(e);
        String message = t.getMessage() == null ? "" : ": " + t.getMessage().lines().findFirst().orElse("");
        return t.getClass().getSimpleName() + message;
    }

    /** No API server answered; exits with {@link Main#EXIT_FAILURE}. */
    static final class ClusterUnreachableException extends RuntimeException {
        ClusterUnreachableException(String message) {
            super(message);
        }
    }
}
