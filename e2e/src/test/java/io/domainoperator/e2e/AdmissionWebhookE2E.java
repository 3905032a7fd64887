package io.domainoperator.e2e;

import static io.domainoperator.e2e.harness.Domains.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import io.domainoperator.testing.Manifests;
import io.domainoperator.e2e.harness.Crds;
import io.domainoperator.e2e.harness.Domains;
import io.domainoperator.e2e.harness.KubeApiServer;
import io.domainoperator.e2e.harness.KubeCluster;
import io.domainoperator.e2e.harness.Kubectl;
import io.domainoperator.e2e.harness.OperatorProcess;

/**
 * Errors at {@code kubectl apply} time: the cluster controller's validating admission webhook, called by the
 * real kube-apiserver. The controller process serves it on loopback ({@code clientConfig.url}: the local
 * server runs no pods, so a Service would have no endpoints), issues its own serving certificate into a
 * Secret and writes the CA into the configuration, which this test installs as the chart does (CREATE and
 * UPDATE of domainconfigs only, failurePolicy Ignore, no caBundle). Proves: each cross-field error fails the
 * apply naming the field, a valid apply passes, the caBundle is the controller's and a rotation (a 45 s
 * certificate lifetime here) replaces it while applies keep being checked; with the controller down a delete,
 * its finalizer removal included, goes through, and a create is admitted (Ignore) and then reported by the
 * controller once it is back.
 *
 * <p>Its own API server: the controller places every unplaced DomainConfig it sees, and the webhook
 * configuration is cluster-wide.
 */
// Among the longest classes without guests: first of the lane that starts from the end (junit-platform.properties).
@Order(Order.DEFAULT + 2)
@KubeApiServer(scope = KubeApiServer.Scope.CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdmissionWebhookE2E {

    private static final String CONFIGURATION = "e2e-domainconfigs";
    private static final String WEBHOOK = "domainconfigs.domainoperator.io";
    private static final String SECRET = "e2e-webhook-tls";

    private static Kubectl kubectl;
    private static String system;
    private static String namespace;
    private static Domains domains;
    private static int port;
    private static OperatorProcess controller;

    @BeforeAll
    static void installWebhookAndStartController(KubeCluster cluster) {
        kubectl = cluster.kubectl();
        Crds.install(kubectl);
        system = cluster.createNamespace("e2e-webhook-system");
        namespace = cluster.createNamespace("e2e-webhook");
        domains = new Domains(kubectl, namespace);
        port = OperatorProcess.freePort();
        var applied = kubectl.runWithInput("""
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingWebhookConfiguration
                metadata: {name: %s}
                webhooks:
                  - name: %s
                    admissionReviewVersions: [v1]
                    sideEffects: None
                    failurePolicy: Ignore
                    timeoutSeconds: 5
                    matchPolicy: Equivalent
                    rules:
                      - apiGroups: [domainoperator.io]
                        apiVersions: ["*"]
                        operations: [CREATE, UPDATE]
                        resources: [domainconfigs]
                        scope: Namespaced
                    clientConfig:
                      url: https://127.0.0.1:%d/validate-domainconfig
                """.formatted(CONFIGURATION, WEBHOOK, port), "apply", "-f", "-");
        assertThat(applied.exitCode()).as(applied.describe()).isZero();
        controller = startController(cluster);
    }

    private static OperatorProcess startController(KubeCluster cluster) {
        OperatorProcess started = OperatorProcess.controller(cluster.kubeconfig(), system, "e2e-webhook-controller",
                "--webhook-port", Integer.toString(port), "--webhook-address", "127.0.0.1", "--webhook-hosts", "127.0.0.1",
                "--webhook-configuration", CONFIGURATION, "--webhook-secret", SECRET, "--webhook-cert-validity", "45s")
                .awaitReady();
        awaitChecked(started);
        return started;
    }

    /**
     * With failurePolicy Ignore an unreachable webhook admits silently, so before asserting on refusals wait
     * until the API server gets the controller's answers: a server-side dry run of a bad manifest is refused.
     */
    private static void awaitChecked(OperatorProcess process) {
        String bad = domain("probe", "  vcpus: 2\n  maxVcpus: 1\n");
        eventually("the API server calls the controller's webhook").untilAsserted(() -> {
            process.assertAlive();
            var dryRun = kubectl.runWithInput(bad, "apply", "--dry-run=server", "-n", namespace, "-f", "-");
            assertThat(dryRun.exitCode()).as(dryRun.describe() + process.logTail()).isNotZero();
            assertThat(dryRun.stderr()).as(dryRun.describe()).contains("spec.maxVcpus: ");
        });
    }

    @AfterAll
    static void stop(KubeCluster cluster) {
        if (controller != null) {
            controller.close();
        }
        if (kubectl != null) {
            kubectl.run("delete", "validatingwebhookconfiguration", CONFIGURATION, "--ignore-not-found");
        }
        cluster.deleteNamespace(namespace);
        cluster.deleteNamespace(system);
    }

    @Test
    @Order(1)
    void caBundleIsWrittenByTheControllerAndTrustsTheCertificateItServes() throws Exception {
        List<X509Certificate> bundle = caBundle();
        String secretCa = new String(Base64.getDecoder().decode(kubectl.ok("get", "secret", SECRET, "-n", system,
                "-o", "jsonpath={.data.ca\\.crt}").stdout().trim()), StandardCharsets.US_ASCII);

        assertThat(bundle).isNotEmpty().isEqualTo(certificates(secretCa));
        X509Certificate served = servedCertificate(bundle);
        served.verify(bundle.getFirst().getPublicKey());
        assertThat(served.getSubjectAlternativeNames()).anySatisfy(san -> assertThat(san.get(1)).isEqualTo("127.0.0.1"));
    }

    @Test
    @Order(2)
    void eachCrossFieldErrorFailsTheApplyNamingTheField() {
        assertRefused(domain("few-cpus", "  vcpus: 2\n  maxVcpus: 1\n"), "spec.maxVcpus", "must be at least vcpus (2), is 1");
        assertRefused(domain("two-xvda", """
                  disks:
                    - {source: /persist/img/a.qcow2, target: xvda}
                    - {source: /persist/img/b.qcow2, target: xvda}
                """), "spec.disks[1].target", "'xvda' is already used by spec.disks[0]");
        assertRefused(domain("two-macs", """
                  vifs:
                    - {bridge: br0, mac: "00:16:3e:00:00:01"}
                    - {bridge: br1, mac: "00:16:3e:00:00:01"}
                """), "spec.vifs[1].mac", "is already used by spec.vifs[0]");
        assertRefused(domain("myself", "  startAfter: [myself]\n"), "spec.startAfter[0]", "cannot start after itself");

        domains.apply(domain("router", "  uuid: 6f8a2c3e-1b2d-4e5f-8a9b-0c1d2e3f4a5b\n"));
        assertRefused(domain("router-copy", "").replace("displayName: router-copy", "displayName: router"),
                "spec.displayName", "'router' is also used by DomainConfig router");
        assertRefused(domain("router-twin", "  uuid: 6F8A2C3E-1B2D-4E5F-8A9B-0C1D2E3F4A5B\n"),
                "spec.uuid", "is also used by DomainConfig router");

        domains.apply(domain("db", "  startAfter: [web]\n"));
        assertRefused(domain("web", "  startAfter: [db]\n"), "spec.startAfter[0]", "closes a startAfter cycle web -> db -> web");

        var adapter = kubectl.runWithInput("""
                apiVersion: domainoperator.io/v1alpha1
                kind: PhysicalIOAdapter
                metadata: {name: wh-node-pci-0000-07-00.0}
                spec: {nodeName: wh-node, type: NetEth, phylabel: eth1, pciAddress: "0000:07:00.0", usage: App}
                """, "apply", "-f", "-");
        assertThat(adapter.exitCode()).as(adapter.describe()).isZero();
        domains.apply(domain("holder", "  nodeName: wh-node\n  adapters: [wh-node-pci-0000-07-00.0]\n"));
        assertRefused(domain("taker", "  adapters: [wh-node-pci-0000-07-00.0]\n"), "spec.adapters[0]",
                "is held by DomainConfig " + namespace + "/holder");
    }

    @Test
    @Order(3)
    void aValidApplyPassesAndAnUpdateIsCheckedToo() {
        var created = kubectl.runWithInput(domain("valid", "  vcpus: 2\n  maxVcpus: 4\n"), "apply", "-n", namespace, "-f", "-");
        assertThat(created.exitCode()).as(created.describe()).isZero();
        assertThat(created.stdout()).contains("domainconfig.domainoperator.io/valid created");

        var patched = kubectl.run("patch", "dom", "valid", "-n", namespace, "--type=merge", "-p", "{\"spec\":{\"maxVcpus\":1}}");
        assertThat(patched.exitCode()).as(patched.describe()).isNotZero();
        assertWebhookRefused(patched, "valid", "spec.maxVcpus", "is 1");
        assertThat(domains.get("valid", "{.spec.maxVcpus}")).isEqualTo("4");
    }

    @Test
    @Order(4)
    void rotationReplacesTheCaBundleAndTheServedCertificateWhileAppliesStayChecked() throws Exception {
        List<X509Certificate> before = caBundle();
        X509Certificate servedBefore = servedCertificate(before);

        eventually("the controller rotates its 45 s certificate").untilAsserted(() -> {
            controller.assertAlive();
            List<X509Certificate> now = caBundle();
            assertThat(now.getFirst()).as(controller.logTail()).isNotEqualTo(before.getFirst());
            assertThat(now).as("the CA being replaced stays trusted while replicas switch").contains(before.getFirst());
            X509Certificate served = servedCertificate(now);
            assertThat(served).isNotEqualTo(servedBefore);
            served.verify(now.getFirst().getPublicKey());
        });
        assertRefused(domain("after-rotation", "  vcpus: 3\n  maxVcpus: 2\n"), "spec.maxVcpus", "is 2");
    }

    @Test
    @Order(5)
    void withTheWebhookDownDeletesWorkAndCreatesAreAdmittedThenReportedByTheController(KubeCluster cluster) {
        domains.apply(domain("held", "").replace("metadata:\n", "metadata:\n  finalizers: [e2e.domainoperator.io/hold]\n"));
        controller.close();
        controller = null;

        var deleted = kubectl.run("delete", "dom", "held", "-n", namespace, "--wait=false");
        assertThat(deleted.exitCode()).as(deleted.describe()).isZero();
        var released = kubectl.run("patch", "dom", "held", "-n", namespace, "--type=merge", "-p", "{\"metadata\":{\"finalizers\":null}}");
        assertThat(released.exitCode()).as("removing a finalizer is an UPDATE: failurePolicy Ignore lets it through\n"
                + released.describe()).isZero();
        eventually("held deleted").until(() -> !domains.exists("held"));
        var plain = kubectl.run("delete", "dom", "valid", "-n", namespace);
        assertThat(plain.exitCode()).as(plain.describe()).isZero();

        var admitted = kubectl.runWithInput(domain("unchecked", "  vcpus: 2\n  maxVcpus: 1\n"), "apply", "-n", namespace, "-f", "-");
        assertThat(admitted.exitCode()).as("failurePolicy Ignore admits while no replica answers\n" + admitted.describe()).isZero();

        controller = startController(cluster);
        eventually("the controller reports what the webhook could not refuse").untilAsserted(() -> {
            assertThat(domains.condition("unchecked", "Ready")).as(domains.describe("unchecked")).isEqualTo("False");
            assertThat(domains.conditionReason("unchecked", "Ready")).isEqualTo("InvalidSpec");
            assertThat(domains.get("unchecked", "{.status.conditions[?(@.type==\"Ready\")].message}")).contains("spec.maxVcpus");
        });
    }

    private static void assertRefused(String manifest, String field, String message) {
        String name = manifest.lines().filter(l -> l.startsWith("  name: ")).findFirst().orElseThrow().substring("  name: ".length());
        assertWebhookRefused(kubectl.runWithInput(manifest, "apply", "-n", namespace, "-f", "-"), name, field, message);
        assertThat(domains.exists(name)).as(name + " was not stored").isFalse();
    }

    /** kubectl prints a webhook's 422 as it prints the API server's own schema errors, a line per field. */
    private static void assertWebhookRefused(Kubectl.Result result, String name, String field, String message) {
        assertThat(result.exitCode()).as(result.describe()).isNotZero();
        assertThat(result.stderr()).as(result.describe())
                .contains("The DomainConfig \"" + name + "\" is invalid")
                .contains(field + ": ").contains(message);
    }

    /** A valid DomainConfig of this name, with {@code extraSpec} (indented spec lines) appended. */
    private static String domain(String name, String extraSpec) {
        String spec = Manifests.domainConfig(name, "virtualizationMode: HVM", "memoryMiB: 64");
        boolean ownVcpus = extraSpec.lines().anyMatch(l -> l.startsWith("  vcpus:"));
        return spec + (ownVcpus ? "" : "  vcpus: 1\n") + extraSpec;
    }

    private static List<X509Certificate> caBundle() throws Exception {
        String base64 = kubectl.ok("get", "validatingwebhookconfiguration", CONFIGURATION,
                "-o", "jsonpath={.webhooks[0].clientConfig.caBundle}").stdout().trim();
        assertThat(base64).as("caBundle of " + CONFIGURATION).isNotEmpty();
        return certificates(new String(Base64.getDecoder().decode(base64), StandardCharsets.US_ASCII));
    }

    private static List<X509Certificate> certificates(String pem) throws Exception {
        List<X509Certificate> out = new ArrayList<>();
        for (Certificate certificate : CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
            out.add((X509Certificate) certificate);
        }
        return out;
    }

    /** The certificate the webhook serves now, fetched with a handshake that trusts exactly {@code bundle}. */
    private static X509Certificate servedCertificate(List<X509Certificate> bundle) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        for (int i = 0; i < bundle.size(); i++) {
            trust.setCertificateEntry("ca-" + i, bundle.get(i));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, factory.getTrustManagers(), null);
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout((int) Duration.ofSeconds(10).toMillis());
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }
}
