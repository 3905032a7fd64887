package io.domainoperator.e2e;

import static io.domainoperator.e2e.harness.Domains.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.e2e.harness.AuditLog;
import io.domainoperator.e2e.harness.AuthorizationMode;
import io.domainoperator.e2e.harness.Crds;
import io.domainoperator.e2e.harness.Domains;
import io.domainoperator.e2e.harness.Identity;
import io.domainoperator.e2e.harness.KubeApiServer;
import io.domainoperator.e2e.harness.KubeCluster;
import io.domainoperator.e2e.harness.Kubectl;
import io.domainoperator.e2e.harness.LocalKubeCluster;
import io.domainoperator.e2e.harness.OperatorProcess;
import io.domainoperator.e2e.harness.chart.Helm;
import io.domainoperator.e2e.harness.chart.HelmExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, least privilege, proven where RBAC cannot prove it: RBAC lets the agent's service account update any
 * DomainConfig's status and any PhysicalIOAdapter, so the server's audit log is read instead. The agent runs with the
 * chart's ServiceAccount and roles (rendered by the real helm) beside DomainConfigs and adapters of its own node and of
 * another node, including a DomainConfig of its node that names the other node's adapter and one of the other node
 * that changes while the agent runs. Every write the agent made touched its own node's objects only, and it never
 * wrote an adapter of the other node. The one write on a DomainConfig that names another node is the node-move
 * release ({@code MovedToAnotherNode}): made for the DomainConfig whose domain ran here, and never for one another
 * node reported last, even when its spec.nodeName moves too.
 */
@ExtendWith(HelmExtension.class)
@KubeApiServer(authorization = AuthorizationMode.RBAC, serviceAccounts = OperatorRbacE2E.AGENT_SA,
        scope = KubeApiServer.Scope.CLASS, auditLog = true)
class AgentLeastPrivilegeE2E {
    private static final Identity AGENT = Identity.serviceAccount(OperatorRbacE2E.AGENT_SA);
    private static final String NODE = "lp-node";
    private static final String OTHER_NODE = "lp-other-node";
    private static final String THIRD_NODE = "lp-third-node";

    @Test
    void everyWriteOfTheAgentTouchesItsOwnNodesObjectsOnly(KubeCluster kube, Helm helm, @TempDir Path stateDir) {
        Assumptions.assumeTrue(kube instanceof LocalKubeCluster,
                "the audit log is the suite's own API server's; " + kube.description() + " is not");
        LocalKubeCluster cluster = (LocalKubeCluster) kube;
        Kubectl admin = cluster.kubectl();
        Crds.install(admin);
        admin.ok("create", "namespace", OperatorRbacE2E.SYSTEM_NAMESPACE);
        var rbac = admin.runWithInput(helm.renderTemplates(OperatorRbacE2E.SYSTEM_NAMESPACE, "templates/serviceaccounts.yaml",
                "templates/rbac-agent.yaml"), "apply", "-f", "-");
        assertThat(rbac.exitCode()).as(rbac.describe()).isZero();
        String namespace = cluster.createNamespace("e2e-least-privilege");
        Domains domains = new Domains(admin, namespace);
        apply(admin, adapter("lp-own-nic", NODE, "0000:07:00.0"));
        apply(admin, adapter("lp-other-nic", OTHER_NODE, "0000:08:00.0"));
        domains.apply(Domains.simulated("mine", NODE));
        domains.apply(Domains.simulated("theirs", OTHER_NODE));
        domains.apply(Domains.simulated("grabber", NODE).replace("  nodeName: " + NODE,
                "  adapters: [lp-other-nic]\n  nodeName: " + NODE));

        try (OperatorProcess agent = OperatorProcess.agent(cluster.kubeconfig(AGENT), NODE, "sim", stateDir,
                OperatorRbacE2E.SYSTEM_NAMESPACE).awaitReady()) {
            eventually("mine running").untilAsserted(() -> {
                agent.assertAlive();
                assertThat(domains.phase("mine")).as(domains.describe("mine")).isEqualTo("Running");
            });
            eventually("grabber refused the other node's adapter").untilAsserted(() ->
                    assertThat(domains.condition("grabber", "AdaptersAssigned")).as(domains.describe("grabber")).isEqualTo("False"));
            // Changes to the other node's objects reach the agent's informers; it must leave them alone.
            domains.patchSpec("theirs", "{\"vcpus\": 2}");
            admin.ok("label", "physicalioadapter", "lp-other-nic", "touched=yes");
            domains.patchSpec("mine", "{\"activate\": false}");
            eventually("mine halted").untilAsserted(() ->
                    assertThat(domains.phase("mine")).as(domains.describe("mine")).isEqualTo("Halted"));
            String aboutWhat = admin.ok("get", "events", "-n", namespace, "-o",
                    "jsonpath={range .items[?(@.source.host==\"" + NODE + "\")]}{.involvedObject.name}{\"\\n\"}{end}").stdout();
            assertThat(aboutWhat.lines().filter(l -> !l.isBlank()).toList()).as("the agent's Events are about its own domains")
                    .isNotEmpty().allSatisfy(name -> assertThat(name).isIn("mine", "grabber", "mover"));
            moveAwayFromTheAgentsNode(cluster, admin, domains, namespace, agent);
        } finally {
            cluster.deleteNamespace(namespace);
        }

        List<AuditLog.Write> writes = AuditLog.writesBy(cluster.auditLog(), AGENT.user());
        assertThat(writes).as("the audit log saw the agent work").anySatisfy(w -> {
            assertThat(w.resource()).isEqualTo("domainconfigs");
            assertThat(w.name()).isEqualTo("mine");
            assertThat(w.subresource()).isEqualTo("status");
        });
        assertThat(domains.get("theirs", "{.status}")).as("the other node's DomainConfig has no status from us").isEmpty();
        assertThat(writes).as("writes of the agent on %s: %s", NODE, writes).allSatisfy(w -> {
            switch (w.resource()) {
                case "domainconfigs" -> {
                    assertThat(w.namespace()).isEqualTo(namespace);
                    assertThat(w.name()).isIn("mine", "grabber", "mover");
                }
                case "physicalioadapters" -> assertThat(w.name()).as("only its own node's adapters").isEqualTo("lp-own-nic");
                case "leases" -> assertThat(w.name()).isEqualTo("domainoperator-node-" + NODE);
                // An Event's name is its object's name and a suffix: its own domains, or its own Node.
                case "events" -> assertThat(w.name() == null ? w.requestUri() : w.name())
                        .matches("(mine|grabber|mover|" + NODE + ")\\..*|/api/v1/namespaces/[^/]+/events");
                default -> throw new AssertionError("a write the agent has no business making: " + w);
            }
        });
        assertThat(writes).as("never the other node's adapter").noneMatch(w -> "lp-other-nic".equals(w.name()));
        assertThat(writes).as("never a DomainConfig another node reported last, moved or not")
                .noneMatch(w -> "theirs-moved".equals(w.name()) || "theirs".equals(w.name()));
        assertThat(writes.stream().map(AuditLog.Write::resource).distinct().toList())
                .isSubsetOf(Set.of("domainconfigs", "events", "leases", "physicalioadapters"));
    }

    /**
     * The node-move path: {@code mover} runs here and its spec.nodeName is edited to the other node; {@code theirs-moved}
     * ran on the other node (its status says so, as that node's agent wrote it) and moves to a third. The agent halts
     * and releases {@code mover} and records the release in its status, though the DomainConfig now names another
     * node; it leaves {@code theirs-moved} alone: it never held it.
     */
    private static void moveAwayFromTheAgentsNode(LocalKubeCluster cluster, Kubectl admin, Domains domains, String namespace,
            OperatorProcess agent) {
        domains.apply(Domains.simulated("theirs-moved", OTHER_NODE));
        admin.ok("patch", "dom", "theirs-moved", "-n", namespace, "--subresource=status", "--type=merge", "-p",
                "{\"status\": {\"phase\": \"Running\", \"node\": \"" + OTHER_NODE + "\"}}");
        domains.apply(Domains.simulated("mover", NODE));
        eventually("mover running on " + NODE).untilAsserted(() -> {
            agent.assertAlive();
            assertThat(domains.phase("mover")).as(domains.describe("mover")).isEqualTo("Running");
            assertThat(domains.get("mover", "{.status.node}")).isEqualTo(NODE);
        });
        int before = AuditLog.writesBy(cluster.auditLog(), AGENT.user()).size();
        domains.patchSpec("mover", "{\"nodeName\": \"" + OTHER_NODE + "\"}");
        domains.patchSpec("theirs-moved", "{\"nodeName\": \"" + THIRD_NODE + "\"}");
        eventually("mover released by " + NODE).untilAsserted(() -> {
            agent.assertAlive();
            assertThat(domains.conditionReason("mover", "Booted")).as(domains.describe("mover")).isEqualTo("MovedToAnotherNode");
            assertThat(domains.get("mover", "{.status.node}")).as("the release clears status.node").isEmpty();
        });
        List<AuditLog.Write> afterMove = AuditLog.writesBy(cluster.auditLog(), AGENT.user());
        afterMove = afterMove.subList(before, afterMove.size());
        assertThat(afterMove).as("the release went through the status subresource, with the agent's RBAC")
                .anySatisfy(w -> {
                    assertThat(w.resource()).isEqualTo("domainconfigs");
                    assertThat(w.name()).isEqualTo("mover");
                    assertThat(w.subresource()).isEqualTo("status");
                    assertThat(w.succeeded()).as("answered %s", w.code()).isTrue();
                });
        assertThat(domains.get("theirs-moved", "{.status.node}")).as("the other node's report stands").isEqualTo(OTHER_NODE);
    }

    private static String adapter(String name, String node, String pciAddress) {
        return """
                apiVersion: domainoperator.io/v1alpha1
                kind: PhysicalIOAdapter
                metadata:
                  name: %s
                spec:
                  nodeName: %s
                  type: NetEth
                  phylabel: eth1
                  pciAddress: "%s"
                  ifname: eth1
                  usage: App
                """.formatted(name, node, pciAddress);
    }

    private static void apply(Kubectl kubectl, String yaml) {
        var result = kubectl.runWithInput(yaml, "apply", "-f", "-");
        assertThat(result.exitCode()).as(result.describe()).isZero();
    }
}
