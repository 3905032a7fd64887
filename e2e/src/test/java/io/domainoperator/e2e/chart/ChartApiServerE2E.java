package io.domainoperator.e2e.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.domainoperator.e2e.harness.AuthorizationMode;
import io.domainoperator.e2e.harness.Identity;
import io.domainoperator.e2e.harness.KubeApiServer;
import io.domainoperator.e2e.harness.KubeCluster;
import io.domainoperator.e2e.harness.Kubectl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import io.domainoperator.testing.Manifests;
import io.domainoperator.e2e.harness.chart.ChartFiles;
import io.domainoperator.e2e.harness.chart.Helm;
import io.domainoperator.e2e.harness.chart.HelmExtension;
import io.domainoperator.e2e.harness.chart.RenderedChart;

/**
 * The chart against a real API server under {@code --authorization-mode=RBAC}: it accepts every rendered
 * object ({@code kubectl apply --dry-run=server}, which runs admission and schema validation but stores
 * nothing), and once they are applied, the agent's and the controller's service-account identities get
 * exactly what the chart's roles say: the agent patches DomainConfig status and is refused deleting one,
 * the controller deletes nothing.
 *
 * <p>The release is {@code domain-operator} in namespace {@code domain-operator} (the service accounts'
 * tokens are declared before the class runs, so the names are fixed).
 */
@KubeApiServer(authorization = AuthorizationMode.RBAC, serviceAccounts = {ChartApiServerE2E.AGENT_SA, ChartApiServerE2E.CONTROLLER_SA})
@ExtendWith(HelmExtension.class)
class ChartApiServerE2E {

    static final String AGENT_SA = ChartFiles.NAMESPACE + "/domain-operator-agent";
    static final String CONTROLLER_SA = ChartFiles.NAMESPACE + "/domain-operator-controller";
    private static final Identity AGENT = Identity.serviceAccount(AGENT_SA);
    private static final Identity CONTROLLER = Identity.serviceAccount(CONTROLLER_SA);

    private static final String PRIVILEGED_REFUSED = "privileged: Forbidden: disallowed by cluster policy";
    private static final String PRIVILEGED_REFUSED_REASON = "this API server refuses every privileged container"
            + " (kube-apiserver without --allow-privileged=true, its default), so it refuses the agent DaemonSet for"
            + " that alone; kubeadm, kind and k3s clusters pass the flag, and LocalKubeCluster should too";

    @TempDir
    static Path work;
    private static Path rendered;
    private static Kubectl.Result dryRun;
    private static int objects;
    private static String domains;

    @BeforeAll
    static void installChart(KubeCluster cluster, Helm helm) throws IOException {
        Kubectl admin = cluster.kubectl();
        // As helm install does: the chart's crds/ first, then the templates, rendered for this server's version.
        admin.ok("apply", "-f", ChartFiles.chart().resolve("crds").toString());
        admin.ok("wait", "--for=condition=Established", "--timeout=60s",
                "customresourcedefinition/domainconfigs.domainoperator.io",
                "customresourcedefinition/physicalioadapters.domainoperator.io");
        var created = admin.run("create", "namespace", ChartFiles.NAMESPACE);
        assertThat(created.exitCode() == 0 || created.stderr().contains("AlreadyExists")).as(created.describe()).isTrue();

        rendered = work.resolve("domain-operator.yaml");
        Files.writeString(rendered, helm.render("--kube-version", serverVersion(admin)).yaml());
        dryRun = admin.run("apply", "--dry-run=server", "-f", rendered.toString());
        objects = RenderedChart.parse(Files.readString(rendered)).objects().size();
        var applied = admin.run("apply", "-f", rendered.toString());
        assertAcceptedButForPrivilegedPolicy(applied);
        domains = cluster.createNamespace("e2e-chart");
    }

    @AfterAll
    static void uninstall(KubeCluster cluster) {
        if (rendered != null) {
            cluster.kubectl().run("delete", "-f", rendered.toString(), "--ignore-not-found", "--wait=false");
        }
        cluster.deleteNamespace(domains);
    }

    @Test
    void apiServerAcceptsEveryRenderedObjectItsPolicyAllows() {
        assertAcceptedButForPrivilegedPolicy(dryRun);
    }

    @Test
    void apiServerAcceptsThePrivilegedAgentDaemonSet() {
        assumeFalse(refusesPrivileged(dryRun), PRIVILEGED_REFUSED_REASON);

        assertThat(dryRun.exitCode()).as(dryRun.describe()).isZero();
        assertThat(dryRun.stdout()).contains("daemonset.apps/domain-operator-agent created (server dry run)");
    }

    @Test
    void agentPatchesDomainConfigStatusAndFinalizersButCannotCreateOrDeleteThem(KubeCluster cluster) {
        Kubectl admin = cluster.kubectl();
        succeeded(admin.runWithInput(domainConfig("router"), "apply", "-n", domains, "-f", "-"));
        Kubectl agent = cluster.kubectl(AGENT);

        agent.ok("patch", "domainconfig", "router", "-n", domains, "--subresource=status", "--type=merge",
                "-p", "{\"status\":{\"phase\":\"Scheduled\"}}");
        agent.ok("patch", "domainconfig", "router", "-n", domains, "--type=merge",
                "-p", "{\"metadata\":{\"finalizers\":[\"domainoperator.io/halt\"]}}");
        agent.ok("patch", "domainconfig", "router", "-n", domains, "--type=merge", "-p", "{\"metadata\":{\"finalizers\":null}}");
        assertThat(admin.ok("get", "domainconfig", "router", "-n", domains, "-o", "jsonpath={.status.phase}").stdout())
                .isEqualTo("Scheduled");

        assertRefused(agent.run("delete", "domainconfig", "router", "-n", domains));
        assertRefused(agent.runWithInput(domainConfig("intruder"), "create", "-n", domains, "-f", "-"));
        assertThat(admin.ok("get", "domainconfig", "router", "-n", domains, "-o", "name").stdout().trim())
                .isEqualTo("domainconfig.domainoperator.io/router");
    }

    @Test
    void agentPublishesAdaptersButCannotDeleteThem(KubeCluster cluster) {
        Kubectl agent = cluster.kubectl(AGENT);
        String name = "e2e-node-" + UUID.randomUUID().toString().substring(0, 8) + "-pci-0000-07-00.0";

        succeeded(agent.runWithInput("""
                apiVersion: domainoperator.io/v1alpha1
                kind: PhysicalIOAdapter
                metadata: {name: %s}
                spec: {nodeName: e2e-node, type: NetEth, phylabel: eth1, pciAddress: "0000:07:00.0", usage: App}
                """.formatted(name), "create", "-f", "-"));
        assertThat(agent.ok("get", "physicalioadapter", name, "-o", "name").stdout()).contains(name);
        agent.ok("patch", "physicalioadapter", name, "--type=merge", "-p", "{\"spec\":{\"logicalLabel\":\"uplink\"}}");

        assertRefused(agent.run("delete", "physicalioadapter", name));
        cluster.kubectl().ok("delete", "physicalioadapter", name);
    }

    @Test
    void agentReadsItsKnobsAndRenewsItsHeartbeatOnlyInTheReleaseNamespace(KubeCluster cluster) {
        Kubectl agent = cluster.kubectl(AGENT);

        assertThat(agent.ok("get", "configmap", "domain-operator-knobs", "-n", ChartFiles.NAMESPACE,
                "-o", "jsonpath={.data.timer\\.boot\\.retry}").stdout()).isEqualTo("600");
        succeeded(agent.runWithInput("""
                apiVersion: coordination.k8s.io/v1
                kind: Lease
                metadata: {name: domainoperator-node-e2e-node}
                spec: {holderIdentity: e2e-node, leaseDurationSeconds: 40}
                """, "apply", "-n", ChartFiles.NAMESPACE, "-f", "-"));
        agent.ok("patch", "lease", "domainoperator-node-e2e-node", "-n", ChartFiles.NAMESPACE, "--type=merge",
                "-p", "{\"spec\":{\"leaseDurationSeconds\":41}}");

        assertRefused(agent.run("get", "configmaps", "-n", domains));
        assertThat(canI(agent, "create", "leases", "-n", domains)).isEqualTo("no");
        assertThat(canI(agent, "delete", "leases", "-n", ChartFiles.NAMESPACE)).isEqualTo("no");
    }

    @Test
    void controllerPlacesDomainsAndHoldsItsLeaseButDeletesNothing(KubeCluster cluster) {
        Kubectl controller = cluster.kubectl(CONTROLLER);

        assertThat(canI(controller, "patch", "domainconfigs.domainoperator.io", "-n", domains)).isEqualTo("yes");
        assertThat(canI(controller, "patch", "domainconfigs.domainoperator.io", "--subresource=status", "-n", domains)).isEqualTo("yes");
        assertThat(canI(controller, "watch", "physicalioadapters.domainoperator.io")).isEqualTo("yes");
        assertThat(canI(controller, "patch", "leases", "-n", ChartFiles.NAMESPACE)).isEqualTo("yes");
        assertThat(canI(controller, "create", "physicalioadapters.domainoperator.io")).isEqualTo("no");
        for (String resource : new String[] {"domainconfigs.domainoperator.io", "physicalioadapters.domainoperator.io",
                "leases", "configmaps", "pods", "events"}) {
            assertThat(canI(controller, "delete", resource, "-n", ChartFiles.NAMESPACE)).as("delete " + resource).isEqualTo("no");
            assertThat(canI(controller, "delete", resource, "-n", domains)).as("delete " + resource).isEqualTo("no");
        }
    }

    @Test
    void controllerWritesOnlyItsOwnWebhookSecretAndConfiguration(KubeCluster cluster) {
        Kubectl controller = cluster.kubectl(CONTROLLER);
        String secret = "secret/domain-operator-webhook-tls";
        String configuration = "validatingwebhookconfigurations.admissionregistration.k8s.io/domain-operator-domainconfigs";

        assertThat(cluster.kubectl().ok("get", configuration, "-o", "jsonpath={.webhooks[0].failurePolicy}").stdout()).isEqualTo("Ignore");
        assertThat(canI(controller, "get", secret, "-n", ChartFiles.NAMESPACE)).isEqualTo("yes");
        assertThat(canI(controller, "update", secret, "-n", ChartFiles.NAMESPACE)).isEqualTo("yes");
        assertThat(canI(controller, "create", "secrets", "-n", ChartFiles.NAMESPACE)).isEqualTo("yes");
        assertThat(canI(controller, "get", "secret/someone-elses", "-n", ChartFiles.NAMESPACE)).isEqualTo("no");
        assertThat(canI(controller, "list", "secrets", "-n", ChartFiles.NAMESPACE)).isEqualTo("no");
        assertThat(canI(controller, "get", secret, "-n", domains)).isEqualTo("no");
        assertThat(canI(controller, "update", configuration)).isEqualTo("yes");
        assertThat(canI(controller, "update", "validatingwebhookconfigurations.admissionregistration.k8s.io/another")).isEqualTo("no");
    }

    private static String domainConfig(String name) {
        return Manifests.domainConfig(name, "vcpus: 1", "memoryMiB: 128",
                "kernel: /var/lib/domain-operator/images/tiny-linux/vmlinuz");
    }

    /** {@code kubectl auth can-i} answers yes/no on stdout (exit 1 for no). */
    private static String canI(Kubectl kubectl, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "auth";
        all[1] = "can-i";
        System.arraycopy(args, 0, all, 2, args.length);
        return kubectl.run(all).stdout().trim();
    }

    /**
     * Every object accepted ({@code created}, {@code configured} or {@code unchanged}), except, on a server
     * that refuses every privileged container, the agent DaemonSet for that reason alone.
     */
    private static void assertAcceptedButForPrivilegedPolicy(Kubectl.Result apply) {
        long accepted = apply.stdout().lines().filter(l -> l.matches("\\S+ (created|configured|unchanged)( \\(server dry run\\))?")).count();
        if (!refusesPrivileged(apply)) {
            assertThat(apply.exitCode()).as(apply.describe()).isZero();
            assertThat(accepted).as(apply.describe()).isEqualTo(objects);
            return;
        }
        assertThat(apply.stderr().lines().filter(l -> !l.isBlank() && !l.startsWith("Warning:")))
                .as(apply.describe())
                .allSatisfy(l -> assertThat(l).contains("DaemonSet \"domain-operator-agent\" is invalid").contains(PRIVILEGED_REFUSED));
        assertThat(accepted).as(apply.describe()).isEqualTo(objects - 1);
    }

    private static boolean refusesPrivileged(Kubectl.Result apply) {
        return apply.stderr().contains(PRIVILEGED_REFUSED);
    }

    private static void succeeded(Kubectl.Result result) {
        assertThat(result.exitCode()).as(result.describe()).isZero();
    }

    private static void assertRefused(Kubectl.Result result) {
        assertThat(result.exitCode()).as(result.describe()).isNotZero();
        assertThat(result.stderr()).as(result.describe()).contains("forbidden");
    }

    private static String serverVersion(Kubectl admin) throws IOException {
        String json = admin.ok("version", "-o", "json").stdout();
        String version = new ObjectMapper().readTree(json).at("/serverVersion/gitVersion").asText();
        assertThat(version).as("server version in: " + json).startsWith("v");
        return version.substring(1);
    }
}
