package io.domainoperator.controller.cluster.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook's HTTPS endpoint (the JDK's HttpsServer): POST {@value #PATH} with an AdmissionReview. Until a
 * serving certificate is installed every handshake fails, which the API server treats as the webhook being
 * down (failurePolicy).
 */
public final class WebhookServer implements AutoCloseable {
    public static final String PATH = "/validate-domainconfig";
    /** Far above any DomainConfig (etcd stores at most 1.5 MiB per object; a review carries two). */
    static final int MAX_BODY = 8 * 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(WebhookServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpsServer server;
    private final RotatingKeyManager keys = new RotatingKeyManager();

    public WebhookServer(String host, int port, AdmissionReviewHandler handler) throws IOException {
        SSLContext tls;
        try {
            tls = SSLContext.getInstance("TLS");
            tls.init(new KeyManager[] {keys}, null, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS in this JDK: " + e.getMessage(), e);
        }
        server = HttpsServer.create(new InetSocketAddress(host, port), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext(PATH, exchange -> serve(exchange, handler));
        server.start();
    }

    /** Serves {@code certificate} from the next handshake on. */
    public void use(ServingCertificate certificate) {
        keys.use(certificate);
    }

    public ServingCertificate serving() {
        return keys.current();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void serve(HttpExchange exchange, AdmissionReviewHandler handler) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                respond(exchange, 405, "text/plain", "POST an admission.k8s.io/v1 AdmissionReview\n");
                return;
            }
            JsonNode review;
            try (InputStream body = exchange.getRequestBody()) {
                byte[] bytes = body.readNBytes(MAX_BODY + 1);
                if (bytes.length > MAX_BODY) {
                    respond(exchange, 413, "text/plain", "AdmissionReview larger than " + MAX_BODY + " bytes\n");
                    return;
                }
                review = JSON.readTree(bytes);
            } catch (IOException e) {
                respond(exchange, 400, "text/plain", "not JSON: " + e.getMessage() + "\n");
                return;
            }
            try {
                respond(exchange, 200, "application/json", JSON.writeValueAsString(handler.review(review)));
            } catch (AdmissionReviewHandler.NotReady e) {
                respond(exchange, 503, "text/plain", "not ready: " + e.getMessage() + "\n");
            } catch (IllegalArgumentException e) {
                respond(exchange, 400, "text/plain", e.getMessage() + "\n");
            } catch (RuntimeException e) {
                LOG.error("webhook: review failed", e);
                respond(exchange, 500, "text/plain", "review failed: " + e + "\n");
            }
        }
    }

    private static void respond(HttpExchange exchange, int code, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
