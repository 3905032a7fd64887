package io.domainoperator.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The version probe at start against a plain-HTTP fake API server: a first answer slower than the probe's
 * timeout (what a cold JVM's first TLS handshake on a busy machine looks like from the probe) is asked again,
 * while any other failure ends the probe at once with the message users see.
 */
// Sets the kubeconfig system property, which every fabric8 client of this JVM reads: alone.
@Isolated
class ClusterConnectionIT {
    private static final String VERSION = """
            {"major": "1", "minor": "20", "gitVersion": "v1.20.2"}""";

    @TempDir
    Path dir;
    private HttpServer server;
    private final AtomicInteger versionRequests = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void server() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
        System.clearProperty("kubeconfig");
    }

    @Test
    void aFirstAnswerSlowerThanTheTimeoutIsAskedOnceMore() throws Exception {
        serveVersion(true, 200);

        try (KubernetesClient client = ClusterConnection.connect(kubeconfig())) {
            assertThat(client).isNotNull();
        }

        assertThat(versionRequests).hasValue(2);
    }

    @Test
    void aServerErrorIsNotRetriedAndNamesTheServer() throws Exception {
        serveVersion(false, 500);

        assertThatThrownBy(() -> ClusterConnection.connect(kubeconfig()))
                .hasMessageContaining("cannot reach the Kubernetes API server at http://127.0.0.1:")
                .hasMessageContaining("Set KUBECONFIG");
        assertThat(versionRequests).hasValue(1);
    }

    /** GET /version: the first request held until the test ends when {@code holdFirst}, the rest answered. */
    private void serveVersion(boolean holdFirst, int status) {
        server.createContext("/version", exchange -> {
            if (versionRequests.incrementAndGet() == 1 && holdFirst) {
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] body = VERSION.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    private Map<String, String> kubeconfig() throws IOException {
        Path file = Files.writeString(dir.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters:
                - name: fake
                  cluster: {server: "http://127.0.0.1:%d"}
                users:
                - name: nobody
                  user: {token: none}
                contexts:
                - name: fake
                  context: {cluster: fake, user: nobody}
                current-context: fake
                """.formatted(server.getAddress().getPort()));
        // fabric8 reads the file from this property (else from the environment, which a test cannot set).
        System.setProperty("kubeconfig", file.toString());
        return Map.of("KUBECONFIG", file.toString());
    }
}
