package io.domainoperator.e2e;

import static io.domainoperator.e2e.harness.Domains.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.e2e.harness.chart.Helm;
import io.domainoperator.e2e.harness.chart.HelmExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import io.domainoperator.e2e.harness.AuthorizationMode;
import io.domainoperator.e2e.harness.Crds;
import io.domainoperator.e2e.harness.Domains;
import io.domainoperator.e2e.harness.Identity;
import io.domainoperator.e2e.harness.KubeApiServer;
import io.domainoperator.e2e.harness.KubeCluster;
import io.domainoperator.e2e.harness.Kubectl;
import io.domainoperator.e2e.harness.OperatorProcess;
import io.domainoperator.e2e.harness.RepoFiles;

/**
 * Scenario 5: under {@code --authorization-mode=RBAC}, the node agent and the cluster controller run as
 * their own service accounts with the least-privilege roles of the helm chart ({@code templates/rbac-agent.yaml},
 * {@code rbac-controller.yaml}, {@code serviceaccounts.yaml}, rendered by the real helm: the suite tests what
 * users install, not a copy). Everything works: the controller
 * takes its leader Lease and places a domain onto the agent's node, the agent boots it, records Events,
 * halts it on {@code activate: false} and lets it go on delete; neither logs a refusal. And each identity
 * is refused what it must not do: the agent cannot delete or create DomainConfigs or delete adapters, the
 * controller cannot delete DomainConfigs or write adapters.
 *
 * <p>What RBAC cannot prove: that the agent writes only its own node's PhysicalIOAdapters. RBAC has no
 * field selectors, so any identity that may update one adapter may update all of them; the agent restricts
 * itself to spec.nodeName equal to its --node, and only an admission policy could enforce that. AgentLeastPrivilegeE2E
 * checks what it did write in the server's audit log.
 */
@ExtendWith(HelmExtension.class)
@KubeApiServer(authorization = AuthorizationMode.RBAC, serviceAccounts = {OperatorRbacE2E.AGENT_SA, OperatorRbacE2E.CONTROLLER_SA},
        scope = KubeApiServer.Scope.CLASS)
class OperatorRbacE2E {

    static final String SYSTEM_NAMESPACE = "domain-operator-system";
    static final String AGENT_SA = SYSTEM_NAMESPACE + "/domain-operator-agent";
    static final String CONTROLLER_SA = SYSTEM_NAMESPACE + "/domain-operator-controller";
    private static final Identity AGENT = Identity.serviceAccount(AGENT_SA);
    private static final Identity CONTROLLER = Identity.serviceAccount(CONTROLLER_SA);
    private static final String NODE = "rbac-node";

    private static String namespace;

    @BeforeAll
    static void installRbac(KubeCluster cluster, Helm helm) {
        Kubectl admin = cluster.kubectl();
        Crds.install(admin);
        if (!admin.run("get", "namespace", SYSTEM_NAMESPACE).succeeded()) {
            admin.ok("create", "namespace", SYSTEM_NAMESPACE);
        }
        // The chart names its service accounts after the release: domain-operator-agent, domain-operator-controller.
        String rbac = helm.renderTemplates(SYSTEM_NAMESPACE, "templates/serviceaccounts.yaml",
                "templates/rbac-agent.yaml", "templates/rbac-controller.yaml");
        var applied = admin.runWithInput(rbac, "apply", "-f", "-");
        assertThat(applied.exitCode()).as(applied.describe()).isZero();
        namespace = cluster.createNamespace("e2e-rbac-ops");
    }

    @AfterAll
    static void deleteNamespace(KubeCluster cluster) {
        cluster.deleteNamespace(namespace);
    }

    @Test
    void agentAndControllerDoTheirWorkWithTheirOwnIdentities(KubeCluster cluster, @TempDir Path stateDir) {
        Domains domains = new Domains(cluster.kubectl(), namespace);
        try (OperatorProcess controller = OperatorProcess.controller(cluster.kubeconfig(CONTROLLER), SYSTEM_NAMESPACE, "rbac-controller");
             OperatorProcess agent = OperatorProcess.agent(cluster.kubeconfig(AGENT), NODE, "sim", stateDir, SYSTEM_NAMESPACE)) {
            // /readyz of the controller answers ok only for the leader: it could create and renew its Lease.
            controller.awaitReady();
            agent.awaitReady();

            domains.apply(Domains.simulated("placed", null));

            eventually("placed put on " + NODE + " by the controller and run by the agent").untilAsserted(() -> {
                controller.assertAlive();
                agent.assertAlive();
                assertThat(domains.get("placed", "{.spec.nodeName}")).as(domains.describe("placed") + controller.logTail()).isEqualTo(NODE);
                assertThat(domains.phase("placed")).isEqualTo("Running");
                assertThat(domains.condition("placed", "Ready")).isEqualTo("True");
            });

            domains.patchSpec("placed", "{\"activate\": false}");
            eventually("placed halted").untilAsserted(() ->
                    assertThat(domains.phase("placed")).as(domains.describe("placed")).isEqualTo("Halted"));
            assertThat(domains.eventReasons("placed")).as("the agent may record Events").contains("GracefulShutdown");

            domains.delete("placed");
            eventually("placed deleted once the agent removed its finalizer").untilAsserted(() ->
                    assertThat(domains.exists("placed")).as(domains.describe("placed")).isFalse());

            assertThat(cluster.kubectl().ok("get", "lease", "-n", SYSTEM_NAMESPACE, "-o", "name").stdout())
                    .contains("lease.coordination.k8s.io/domainoperator-node-" + NODE)
                    .contains("lease.coordination.k8s.io/domain-operator-controller");
            assertThat(refusals(agent)).as("refusals in " + agent.log()).isEmpty();
            assertThat(refusals(controller)).as("refusals in " + controller.log()).isEmpty();
        }
    }

    @Test
    void agentIsRefusedDeletingDomainsAndAdapters(KubeCluster cluster) {
        cluster.kubectl().ok("apply", "-n", namespace, "-f", RepoFiles.testResources("manifests").resolve("router.yaml").toString());
        Kubectl agent = cluster.kubectl(AGENT);

        var delete = agent.run("delete", "dom", "router", "-n", namespace, "--wait=false");

        assertThat(delete.exitCode()).as(delete.describe()).isNotZero();
        assertThat(delete.stderr()).contains("forbidden").contains(AGENT.user());
        assertThat(cluster.kubectl().ok("get", "dom", "router", "-n", namespace, "-o", "name").stdout()).contains("router");
        assertThat(canI(agent, "delete", "domainconfigs.domainoperator.io", "-n", namespace)).isEqualTo("no");
        assertThat(canI(agent, "create", "domainconfigs.domainoperator.io", "-n", namespace)).isEqualTo("no");
        assertThat(canI(agent, "delete", "physicalioadapters.domainoperator.io")).isEqualTo("no");
        assertThat(canI(agent, "update", "leases.coordination.k8s.io", "-n", "kube-system")).isEqualTo("no");
        assertThat(canI(agent, "get", "secrets", "-n", SYSTEM_NAMESPACE)).isEqualTo("no");
        // What it needs, to be sure the refusals above are not a broken identity.
        assertThat(canI(agent, "patch", "domainconfigs.domainoperator.io", "--subresource=status", "-n", namespace)).isEqualTo("yes");
        assertThat(canI(agent, "update", "leases.coordination.k8s.io", "-n", SYSTEM_NAMESPACE)).isEqualTo("yes");
    }

    @Test
    void controllerIsRefusedDeletingDomainsAndWritingAdapters(KubeCluster cluster) {
        Kubectl controller = cluster.kubectl(CONTROLLER);

        assertThat(canI(controller, "delete", "domainconfigs.domainoperator.io", "-n", namespace)).isEqualTo("no");
        assertThat(canI(controller, "create", "physicalioadapters.domainoperator.io")).isEqualTo("no");
        assertThat(canI(controller, "patch", "physicalioadapters.domainoperator.io")).isEqualTo("no");
        assertThat(canI(controller, "delete", "physicalioadapters.domainoperator.io")).isEqualTo("no");
        assertThat(canI(controller, "patch", "domainconfigs.domainoperator.io", "-n", namespace)).isEqualTo("yes");
        var write = controller.runWithInput(adapter("rbac-refused-adapter"), "apply", "-f", "-");
        assertThat(write.exitCode()).as(write.describe()).isNotZero();
        assertThat(write.stderr()).contains("forbidden");
    }

    /** {@code kubectl auth can-i}: "yes" or "no" on stdout (exit 1 for no). */
    private static String canI(Kubectl kubectl, String... args) {
        String[] command = new String[args.length + 2];
        command[0] = "auth";
        command[1] = "can-i";
        System.arraycopy(args, 0, command, 2, args.length);
        return kubectl.run(command).stdout().trim();
    }

    private static String adapter(String name) {
        try {
            return Files.readString(RepoFiles.testResources("manifests").resolve("adapter.yaml"))
                    .replaceAll("(?m)^  name: .*$", "  name: " + name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The log lines where the API server refused the process something (HTTP 403 "forbidden"). */
    private static List<String> refusals(OperatorProcess process) {
        try {
            return Files.readAllLines(process.log()).stream().filter(line -> line.toLowerCase(Locale.ROOT).contains("forbidden")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
