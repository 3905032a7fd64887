package io.domainoperator.e2e.harness;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * etcd and kube-apiserver started by this suite on loopback, on free ports, with fresh credentials and a
 * temporary etcd data directory. The API server serves TLS with the self-signed certificate it generates
 * into its cert directory; kubeconfigs trust exactly that certificate.
 */
public final class LocalKubeCluster implements KubeCluster, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalKubeCluster.class);
    private static final Duration ETCD_START = Duration.ofMinutes(1);
    /** Post-start hooks (RBAC bootstrap, CRD controllers) take a while on a busy two-core machine. */
    private static final Duration API_SERVER_START = Duration.ofMinutes(3);
    private static final int START_ATTEMPTS = 3;

    /**
     * How a local server is configured; equal settings share one server per JVM.
     *
     * @param podReachable listen on every address, not only loopback, so that pods of a {@link LocalKubeNode} reach
     *                     it through the service address (their network namespace has its own loopback)
     * @param auditLog     write an audit log of every write request ({@link #auditLog()}, {@link AuditLog})
     */
    public record Settings(AuthorizationMode authorization, List<Identity> identities, boolean podReachable,
                           boolean auditLog) {
        public Settings {
            identities = List.copyOf(identities);
        }

        public Settings(AuthorizationMode authorization, List<Identity> identities, boolean podReachable) {
            this(authorization, identities, podReachable, false);
        }

        public Settings(AuthorizationMode authorization, List<Identity> identities) {
            this(authorization, identities, false);
        }
    }

    private final KubeBinaries.Found binaries;
    private final Settings settings;
    private final Path workDir;
    private final Path logDir;
    private final LocalCredentials credentials;
    private final int etcdClientPort;
    private final int etcdPeerPort;
    private final int apiServerPort;
    private final ConcurrentMap<Identity, Path> kubeconfigs = new ConcurrentHashMap<>();
    private ManagedProcess etcd;
    private ManagedProcess apiServer;
    private int apiServerStarts;

    private LocalKubeCluster(KubeBinaries.Found binaries, Settings settings, Path workDir, Path logDir) {
        this.binaries = binaries;
        this.settings = settings;
        this.workDir = workDir;
        this.logDir = logDir;
        this.credentials = LocalCredentials.generate(workDir.resolve("auth"), settings.identities());
        this.etcdClientPort = freePort();
        this.etcdPeerPort = freePort();
        this.apiServerPort = freePort();
    }

    /**
     * Starts etcd, then kube-apiserver, and returns once {@code /readyz} answers ok. Ports are picked free
     * but another process may take one before the server binds it, so a start that loses that race is
     * retried on new ports.
     */
    public static LocalKubeCluster start(KubeBinaries.Found binaries, Settings settings, Path logRoot) {
        for (int attempt = 1; ; attempt++) {
            LocalKubeCluster cluster;
            try {
                Path workDir = Files.createTempDirectory("domain-operator-e2e-kube-");
                cluster = new LocalKubeCluster(binaries, settings, workDir,
                        logRoot.resolve(workDir.getFileName().toString()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            try {
                cluster.startEtcd();
                cluster.startApiServer();
                LOG.info("{} ready", cluster.description());
                return cluster;
            } catch (RuntimeException e) {
                cluster.close();
                if (attempt >= START_ATTEMPTS || !String.valueOf(e.getMessage()).contains("address already in use")) {
                    throw e;
                }
                LOG.warn("local API server lost a port race (attempt {}), retrying on new ports", attempt);
            }
        }
    }

    private void startEtcd() {
        String client = "http://127.0.0.1:" + etcdClientPort;
        String peer = "http://127.0.0.1:" + etcdPeerPort;
        etcd = ManagedProcess.start("etcd", List.of(binaries.etcd().toString(),
                "--name", "e2e",
                "--data-dir", workDir.resolve("etcd").toString(),
                "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "e2e=" + peer,
                "--logger", "zap"), logDir.resolve("etcd.log"));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        await("etcd healthy on " + client).atMost(ETCD_START).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    etcd.assertAlive();
                    return status(http, URI.create(client + "/health"), null) == 200;
                });
    }

    private void startApiServer() {
        apiServerStarts++;
        List<String> command = new ArrayList<>(List.of(binaries.kubeApiServer().toString(),
                "--etcd-servers", "http://127.0.0.1:" + etcdClientPort,
                // Pods reach a pod-reachable server through the service address 10.0.0.1 (in its certificate);
                // the test's kubeconfigs keep 127.0.0.1, the advertised address, also in the certificate.
                "--bind-address", settings.podReachable() ? "0.0.0.0" : "127.0.0.1",
                "--advertise-address", "127.0.0.1",
                "--secure-port", Integer.toString(apiServerPort),
                // 1.20 still serves plain HTTP on 127.0.0.1:8080 by default; servers started in parallel would fight over it.
                "--insecure-port", "0",
                "--cert-dir", certDir().toString(),
                "--token-auth-file", credentials.tokenFile().toString(),
                "--authorization-mode", settings.authorization().flagValue(),
                "--service-account-issuer", "https://kubernetes.default.svc.cluster.local",
                "--service-account-key-file", credentials.serviceAccountPublicKey().toString(),
                "--service-account-signing-key-file", credentials.serviceAccountPrivateKey().toString(),
                "--service-cluster-ip-range", "10.0.0.0/24",
                // As kubeadm, kind and k3s run it: the agent's DaemonSet is privileged.
                "--allow-privileged=true",
                // No kube-proxy on the local node: webhook calls go to a Service's endpoints (pod IPs the host
                // routes to), not to its cluster IP, which nothing would forward.
                "--enable-aggregator-routing=" + settings.podReachable(),
                // kubectl logs/exec: the local node's name is no host name DNS knows; its InternalIP is the bridge.
                "--kubelet-preferred-address-types=InternalIP,Hostname",
                // Nothing here runs pods or nodes: skip the work that only serves them.
                "--endpoint-reconciler-type", "none",
                "--enable-priority-and-fairness=false",
                "--profiling=false"));
        if (settings.auditLog()) {
            command.addAll(AuditLog.flags(workDir, auditLog()));
        }
        apiServer = ManagedProcess.start("kube-apiserver", command, logDir.resolve("kube-apiserver-" + apiServerStarts + ".log"));
        await("kube-apiserver /readyz on " + url()).atMost(API_SERVER_START).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    apiServer.assertAlive();
                    etcd.assertAlive();
                    return Files.exists(certFile())
                            && status(httpsClient(), URI.create(url() + "/readyz"), credentials.token(Identity.ADMIN)) == 200;
                });
    }

    /**
     * Stops and starts kube-apiserver on the same port and etcd data: every watch closes, nothing stored
     * is lost, as when a control-plane node restarts.
     */
    public void restartApiServer() {
        LOG.info("restarting kube-apiserver on {}", url());
        apiServer.close();
        startApiServer();
    }

    /**
     * SIGKILL, then a start on the same port and data: no graceful shutdown, connections reset rather than closed,
     * as when a control-plane node loses power.
     */
    public void killAndRestartApiServer() {
        LOG.info("killing kube-apiserver on {} and starting it again", url());
        apiServer.kill();
        startApiServer();
    }

    /**
     * SIGSTOP: the server keeps its port and every connection open but answers nothing, as a server stalled by
     * a long GC, a frozen VM or a swapped-out node. {@link #resumeApiServer()} (SIGCONT) lets it go on.
     */
    public void pauseApiServer() {
        LOG.info("SIGSTOP kube-apiserver (pid {})", apiServer.pid());
        signal("-STOP");
    }

    public void resumeApiServer() {
        LOG.info("SIGCONT kube-apiserver (pid {})", apiServer.pid());
        signal("-CONT");
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", signal, Long.toString(apiServer.pid())).redirectErrorStream(true).start();
            String out = new String(kill.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill " + signal + " " + apiServer.pid() + " failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The audit log, when the settings ask for one ({@link Settings#auditLog()}); kept with the server's logs. */
    public Path auditLog() {
        return logDir.resolve("audit.log");
    }

    public int port() {
        return apiServerPort;
    }

    public LocalCredentials credentials() {
        return credentials;
    }

    /** The serving certificate and its CA: what pods' service-account secrets carry as ca.crt. */
    public Path servingCertificate() {
        return certFile();
    }

    /** https://127.0.0.1:port */
    public String url() {
        return "https://127.0.0.1:" + apiServerPort;
    }

    /** Where etcd's and kube-apiserver's logs go (kept after the run, under target/). */
    public Path logDir() {
        return logDir;
    }

    @Override
    public Path kubeconfig() {
        return kubeconfig(Identity.ADMIN);
    }

    @Override
    public Path kubeconfig(Identity identity) {
        return kubeconfigs.computeIfAbsent(identity, this::writeKubeconfig);
    }

    private Path writeKubeconfig(Identity identity) {
        String yaml = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: domain-operator-e2e
                  cluster:
                    server: "%s"
                    certificate-authority: "%s"
                users:
                - name: "%s"
                  user:
                    token: "%s"
                contexts:
                - name: domain-operator-e2e
                  context:
                    cluster: domain-operator-e2e
                    user: "%s"
                current-context: domain-operator-e2e
                """.formatted(url(), certFile(), identity.user(), credentials.token(identity), identity.user());
        try {
            return Files.writeString(workDir.resolve("auth").resolve(identity.slug() + ".kubeconfig"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Optional<AuthorizationMode> authorizationMode() {
        return Optional.of(settings.authorization());
    }

    @Override
    public String description() {
        return "local kube-apiserver " + url() + " (" + binaries.kubeApiServer() + ", authorization "
                + settings.authorization().flagValue() + ", etcd on 127.0.0.1:" + etcdClientPort + ", logs " + logDir + ")";
    }

    @Override
    public void close() {
        if (apiServer != null) {
            if (apiServer.isAlive()) {
                signal("-CONT"); // a stopped server would not act on SIGTERM until its grace period ran out
            }
            apiServer.close();
        }
        if (etcd != null) {
            etcd.close();
        }
        deleteRecursively(workDir);
        LOG.info("stopped local kube-apiserver {}", url());
    }

    private Path certDir() {
        return workDir.resolve("certs");
    }

    /** The self-signed serving certificate plus the CA that signed it, written by kube-apiserver at start. */
    private Path certFile() {
        return certDir().resolve("apiserver.crt");
    }

    private HttpClient httpsClient() throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(certFile())) {
            int i = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("apiserver-" + i++, certificate);
            }
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, factory.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(2)).build();
    }

    /** The HTTP status of a GET, or -1 while the server does not answer yet. */
    private static int status(HttpClient http, URI uri, String bearerToken) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET();
        if (bearerToken != null) {
            request.header("Authorization", "Bearer " + bearerToken);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on loopback", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", dir, e.getMessage());
        }
    }
}
