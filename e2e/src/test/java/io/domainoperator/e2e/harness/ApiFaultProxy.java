package io.domainoperator.e2e.harness;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fault-injecting proxy between a process under test and the real kube-apiserver: plain HTTP/1.1 on a loopback
 * port in front, TLS to the server behind, one server connection per client connection. A kubeconfig from
 * {@link #kubeconfig} points a process at it. By default every request passes through unchanged (watches
 * stream, WebSocket upgrades are piped); the switches break it the way a real control plane breaks:
 * <ul>
 *   <li>{@link #inject}: chosen requests (status writes, event creations, ...) answered with 409 or 5xx by the proxy;</li>
 *   <li>{@link #closeWatches}: every watch in flight cut, as when an API server restarts or a load balancer drops it;</li>
 *   <li>{@link #delay}: every request held before it goes on, a slow server.</li>
 * </ul>
 * SIGSTOP and restarts of the server itself are {@link LocalKubeCluster}'s.
 */
public final class ApiFaultProxy implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiFaultProxy.class);

    private final LocalKubeCluster upstream;
    private final SSLSocketFactory tls;
    private final ServerSocket listener;
    private final List<ApiFault> faults = new CopyOnWriteArrayList<>();
    private final Set<Connection> watches = ConcurrentHashMap.newKeySet();
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Duration> delay = new AtomicReference<>(Duration.ZERO);
    private final AtomicInteger watchesClosed = new AtomicInteger();
    private final AtomicInteger delayed = new AtomicInteger();
    private final Thread acceptor;

    private ApiFaultProxy(LocalKubeCluster upstream) throws IOException, GeneralSecurityException {
        this.upstream = upstream;
        this.tls = trusting(upstream.servingCertificate());
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = Thread.ofPlatform().name("api-fault-proxy").daemon().start(this::accept);
    }

    /** A proxy in front of {@code upstream}, passing everything through until told otherwise. */
    public static ApiFaultProxy start(LocalKubeCluster upstream) {
        try {
            ApiFaultProxy proxy = new ApiFaultProxy(upstream);
            LOG.info("API fault proxy on {} in front of {}", proxy.url(), upstream.url());
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot trust " + upstream.servingCertificate(), e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + listener.getLocalPort();
    }

    /** A kubeconfig acting as {@code identity} (its token on the local server) through this proxy. */
    public Path kubeconfig(Identity identity, Path dir) {
        String yaml = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: through-fault-proxy
                  cluster:
                    server: "%s"
                users:
                - name: "%s"
                  user:
                    token: "%s"
                contexts:
                - name: through-fault-proxy
                  context:
                    cluster: through-fault-proxy
                    user: "%s"
                current-context: through-fault-proxy
                """.formatted(url(), identity.user(), upstream.credentials().token(identity), identity.user());
        try {
            return Files.writeString(dir.resolve(identity.slug() + "-via-proxy.kubeconfig"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Arms a fault; it stays armed until its count is used up or {@link #clearFaults()}. */
    public ApiFault inject(ApiFault fault) {
        faults.add(fault);
        return fault;
    }

    public void clearFaults() {
        faults.clear();
    }

    /** Every request from now on waits {@code d} before it goes on to the server; {@link Duration#ZERO} ends it. */
    public void delay(Duration d) {
        delay.set(d);
    }

    /** Requests held by {@link #delay} so far. */
    public int delayedRequests() {
        return delayed.get();
    }

    /** Cuts every watch in flight (both sockets); returns how many. Clients see the stream end mid-response. */
    public int closeWatches() {
        int n = 0;
        for (Connection c : List.copyOf(watches)) {
            c.close();
            n++;
        }
        watchesClosed.addAndGet(n);
        LOG.info("API fault proxy: closed {} watch(es)", n);
        return n;
    }

    /** Watches in flight now. */
    public int openWatches() {
        return watches.size();
    }

    public int watchesClosed() {
        return watchesClosed.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Thread.ofVirtual().name("api-fault-proxy-conn").start(() -> new Connection(client).serve());
            } catch (IOException e) {
                if (!listener.isClosed()) {
                    LOG.warn("API fault proxy: accept failed: {}", e.getMessage());
                }
            }
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            // closing anyway
        }
        List.copyOf(open).forEach(Connection::close);
        acceptor.interrupt();
    }

    /** One client connection and the server connection it is passed on to, opened on the first request. */
    private final class Connection {
        private final Socket client;
        private Socket server;

        Connection(Socket client) {
            this.client = client;
        }

        void serve() {
            open.add(this);
            try (client) {
                InputStream fromClient = new BufferedInputStream(client.getInputStream());
                OutputStream toClient = new BufferedOutputStream(client.getOutputStream());
                for (Optional<HttpHead> head = HttpHead.read(fromClient); head.isPresent(); head = HttpHead.read(fromClient)) {
                    if (!exchange(head.get(), fromClient, toClient)) {
                        return;
                    }
                }
            } catch (IOException e) {
                // A peer went away (or closeWatches cut it): the other side is closed below.
            } finally {
                close();
                open.remove(this);
            }
        }

        /** One request and its answer; false when the connection must end (upgrade over, or server closed). */
        private boolean exchange(HttpHead request, InputStream fromClient, OutputStream toClient) throws IOException {
            ApiFault.Request r = parse(request.startLine());
            Optional<ApiFault> fault = faults.stream().filter(f -> f.claim(r)).findFirst();
            if (fault.isPresent()) {
                request.readBody(fromClient);
                byte[] body = fault.get().body().getBytes(StandardCharsets.UTF_8);
                LOG.info("API fault proxy: {} {} answered {} ({})", r.method(), r.path(), fault.get().status(), fault.get());
                new HttpHead("HTTP/1.1 " + fault.get().status() + " Injected", List.of(
                        new String[] {"Content-Type", "application/json"},
                        new String[] {"Content-Length", Integer.toString(body.length)})).write(toClient);
                toClient.write(body);
                toClient.flush();
                return true;
            }
            Duration wait = delay.get();
            if (!wait.isZero()) {
                delayed.incrementAndGet();
                sleep(wait);
            }
            if (server == null || server.isClosed()) {
                server = tls.createSocket(InetAddress.getLoopbackAddress(), upstream.port());
            }
            InputStream fromServer = new BufferedInputStream(server.getInputStream());
            OutputStream toServer = new BufferedOutputStream(server.getOutputStream());
            boolean upgrade = request.header("Upgrade").map(u -> u.equalsIgnoreCase("websocket")).orElse(false);
            // The JDK client offers h2c on plain HTTP; the server behind speaks TLS, where that offer means nothing.
            HttpHead forwarded = upgrade ? request : request.without("Upgrade", "HTTP2-Settings").with("Connection", "keep-alive");
            forwarded.write(toServer);
            request.copyBody(fromClient, toServer, false);
            toServer.flush();
            if (r.isWatch()) {
                watches.add(this);
            }
            try {
                Optional<HttpHead> answer = HttpHead.read(fromServer);
                if (answer.isEmpty()) {
                    return false;
                }
                answer.get().write(toClient);
                int status = answer.get().status();
                if (status == 101) {
                    toClient.flush();
                    pipe(fromClient, toServer, fromServer, toClient);
                    return false;
                }
                if (!r.method().equals("HEAD") && status != 204 && status != 304) {
                    answer.get().copyBody(fromServer, toClient, true);
                }
                toClient.flush();
                return answer.get().header("Connection").map(c -> !c.equalsIgnoreCase("close")).orElse(true);
            } finally {
                watches.remove(this);
            }
        }

        /** Both directions of an upgraded connection (a WebSocket watch), until either side closes. */
        private void pipe(InputStream fromClient, OutputStream toServer, InputStream fromServer, OutputStream toClient) {
            Thread up = Thread.ofVirtual().start(() -> {
                try {
                    fromClient.transferTo(toServer);
                } catch (IOException e) {
                    // closed
                } finally {
                    close();
                }
            });
            try {
                byte[] buffer = new byte[8192];
                for (int n = fromServer.read(buffer); n >= 0; n = fromServer.read(buffer)) {
                    toClient.write(buffer, 0, n);
                    toClient.flush();
                }
            } catch (IOException e) {
                // closed
            } finally {
                close();
                up.interrupt();
            }
        }

        void close() {
            closeQuietly(client);
            closeQuietly(server);
        }
    }

    private static ApiFault.Request parse(String requestLine) {
        String[] parts = requestLine.split(" ", 3);
        String target = parts.length > 1 ? parts[1] : "/";
        int q = target.indexOf('?');
        return new ApiFault.Request(parts[0], q < 0 ? target : target.substring(0, q), q < 0 ? null : target.substring(q + 1));
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    /** TLS that trusts exactly the certificates kube-apiserver generated for itself. */
    private static SSLSocketFactory trusting(Path certificates) throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(certificates)) {
            int i = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("apiserver-" + i++, certificate);
            }
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context.getSocketFactory();
    }
}
