package io.domainoperator.controller.cluster.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The certificate keeper against fabric8's API emulation and the HTTPS server on loopback: the leader issues
 * the Secret and writes the CA bundle into every webhook of the configuration, a standby only reads and
 * serves, a rotation publishes the new bundle (old CA kept) before any replica serves the new certificate, and
 * a caBundle edited by someone else is put back. Handshakes are made with a client trusting exactly the
 * published bundle.
 */
class CertificateKeeperIT {
    private static final String NS = "domain-operator-system";
    private static final String CONFIGURATION = "domain-operator-domainconfigs";
    private static final List<String> HOSTS = List.of("127.0.0.1");
    private static final Duration VALIDITY = Duration.ofMinutes(30);

    private final KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        new KubernetesCrudDispatcher(), false);
    private final KubernetesClient client;
    /**
     * Handshakes check validity against the real time: the test's clock starts two thirds of a lifetime in the
     * past, so a certificate issued at the start and one issued after moving the clock to the renewal point are
     * both valid now.
     */
    private final TestClock clock = new TestClock(Instant.now().minus(VALIDITY.multipliedBy(2).dividedBy(3)));
    private final List<WebhookServer> servers = new ArrayList<>();

    CertificateKeeperIT() {
        server.init();
        client = server.createClient();
        client.admissionRegistration().v1().validatingWebhookConfigurations().resource(configuration()).create();
    }

    @AfterEach
    void stop() {
        servers.forEach(WebhookServer::close);
        client.close();
        server.destroy();
    }

    @Test
    void leaderIssuesTheSecretAndPublishesTheBundleAStandbyServesTheSameCertificate() throws Exception {
        WebhookServer leaderServer = server();
        WebhookServer standbyServer = server();
        CertificateKeeper standby = keeper(false, standbyServer);
        assertThat(standby.reconcile()).as("a standby writes nothing").isNull();
        assertThat(secret()).isNull();

        ServingCertificate issued = keeper(true, leaderServer).reconcile();
        ServingCertificate read = standby.reconcile();

        assertThat(secret().getType()).isEqualTo("kubernetes.io/tls");
        assertThat(read.certificate()).isEqualTo(issued.certificate());
        assertThat(publishedBundles()).as("every webhook of the configuration").hasSize(2)
            .allSatisfy(bundle -> assertThat(bundle).isEqualTo(issued.caBundle()));
        assertThat(answer(leaderServer, issued.caBundle())).contains("\"allowed\":true");
        assertThat(answer(standbyServer, issued.caBundle())).contains("\"allowed\":true");
    }

    @Test
    void rotationPublishesTheNewCaFirstAndServesTheNewCertificateOneRoundLater() throws Exception {
        WebhookServer webhook = server();
        CertificateKeeper leader = keeper(true, webhook);
        ServingCertificate first = leader.reconcile();

        clock.advance(VALIDITY.multipliedBy(2).dividedBy(3));
        ServingCertificate stillServed = leader.reconcile();
        ServingCertificate second = ServingCertificate.fromSecretData(secret().getData());

        assertThat(second.certificate()).isNotEqualTo(first.certificate());
        assertThat(publishedBundles().getFirst()).containsExactly(second.caBundle().getFirst(), first.caBundle().getFirst());
        assertThat(stillServed.certificate()).as("the API server may not know the new CA yet").isEqualTo(first.certificate());
        assertThat(answer(webhook, publishedBundles().getFirst())).contains("\"allowed\":true");

        assertThat(leader.reconcile().certificate()).isEqualTo(second.certificate());
        assertThat(webhook.serving().certificate()).isEqualTo(second.certificate());
        assertThat(answer(webhook, List.of(second.caBundle().getFirst()))).as("served by the new CA alone").contains("\"allowed\":true");
    }

    @Test
    void aCaBundleChangedBySomeoneElseIsPutBack() throws Exception {
        ServingCertificate issued = keeper(true, server()).reconcile();
        ValidatingWebhookConfiguration edited = client.admissionRegistration().v1().validatingWebhookConfigurations().withName(CONFIGURATION).get();
        edited.getWebhooks().forEach(w -> w.getClientConfig().setCaBundle(null));
        client.admissionRegistration().v1().validatingWebhookConfigurations().resource(edited).update();

        keeper(true, server()).reconcile();

        assertThat(publishedBundles()).allSatisfy(bundle -> assertThat(bundle).isEqualTo(issued.caBundle()));
    }

    private CertificateKeeper keeper(boolean writer, WebhookServer webhook) {
        return keeper(writer, webhook, HOSTS);
    }

    private CertificateKeeper keeper(boolean writer, WebhookServer webhook, List<String> hosts) {
        return new CertificateKeeper(client, new CertificateKeeper.Settings(NS, "webhook-tls", CONFIGURATION, hosts, VALIDITY),
            clock, () -> writer, webhook::use);
    }

    private WebhookServer server() throws Exception {
        ClusterView empty = new ClusterView() {
            @Override public boolean synced() { return true; }
            @Override public List<io.domainoperator.api.v1alpha1.DomainConfig> domains() { return List.of(); }
            @Override public List<io.domainoperator.api.v1alpha1.PhysicalIOAdapter> adapters() { return List.of(); }
        };
        WebhookServer webhook = new WebhookServer("127.0.0.1", 0, new AdmissionReviewHandler(empty));
        servers.add(webhook);
        return webhook;
    }

    private Secret secret() {
        return client.secrets().inNamespace(NS).withName("webhook-tls").get();
    }

    private List<List<X509Certificate>> publishedBundles() throws Exception {
        List<List<X509Certificate>> bundles = new ArrayList<>();
        for (var webhook : client.admissionRegistration().v1().validatingWebhookConfigurations().withName(CONFIGURATION).get().getWebhooks()) {
            String pem = new String(Base64.getDecoder().decode(webhook.getClientConfig().getCaBundle()), StandardCharsets.US_ASCII);
            List<X509Certificate> bundle = new ArrayList<>();
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                bundle.add((X509Certificate) c);
            }
            bundles.add(bundle);
        }
        return bundles;
    }

    /** POSTs an AdmissionReview over HTTPS, trusting exactly {@code trusted} (and checking the host name). */
    private static String answer(WebhookServer webhook, List<X509Certificate> trusted) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        for (int i = 0; i < trusted.size(); i++) {
            store.setCertificateEntry("ca-" + i, trusted.get(i));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, factory.getTrustManagers(), null);
        String review = new ObjectMapper().writeValueAsString(java.util.Map.of("apiVersion", "admission.k8s.io/v1", "kind", "AdmissionReview",
            "request", java.util.Map.of("uid", "u1", "operation", "DELETE", "kind", java.util.Map.of("kind", "DomainConfig"))));
        try (HttpClient http = HttpClient.newBuilder().sslContext(tls).build()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + webhook.port() + WebhookServer.PATH))
                .POST(HttpRequest.BodyPublishers.ofString(review)).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            return response.body();
        }
    }

    private static ValidatingWebhookConfiguration configuration() {
        return new ValidatingWebhookConfigurationBuilder().withNewMetadata().withName(CONFIGURATION).endMetadata()
            .addNewWebhook().withName("domainconfigs.domainoperator.io").withNewClientConfig().withUrl("https://127.0.0.1/validate-domainconfig")
            .endClientConfig().withAdmissionReviewVersions("v1").withSideEffects("None").endWebhook()
            .addNewWebhook().withName("domainconfigs-dry.domainoperator.io").withNewClientConfig().withUrl("https://127.0.0.1/validate-domainconfig")
            .endClientConfig().withAdmissionReviewVersions("v1").withSideEffects("None").endWebhook()
            .build();
    }

    private static final class TestClock extends Clock {
        private final AtomicReference<Instant> now;

        TestClock(Instant start) {
            now = new AtomicReference<>(start);
        }

        void advance(Duration by) {
            now.updateAndGet(t -> t.plus(by));
        }

        @Override public Instant instant() { return now.get(); }
        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
    }
}
