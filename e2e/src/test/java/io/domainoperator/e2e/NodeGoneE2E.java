package io.domainoperator.e2e;

import static io.domainoperator.e2e.harness.Domains.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.e2e.harness.chart.HelmExtension;
import io.domainoperator.e2e.harness.AuthorizationMode;
import io.domainoperator.e2e.harness.Crds;
import io.domainoperator.e2e.harness.Domains;
import io.domainoperator.e2e.harness.Identity;
import io.domainoperator.e2e.harness.KubeApiServer;
import io.domainoperator.e2e.harness.KubeCluster;
import io.domainoperator.e2e.harness.Kubectl;
import io.domainoperator.e2e.harness.OperatorProcess;
import io.domainoperator.e2e.harness.SimulatorStateFile;
import io.domainoperator.e2e.harness.chart.Helm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, a node gone for good: two node agents (simulator) and the cluster controller on the real API server, each
 * with the chart's ServiceAccount and roles (RBAC), the two nodes with Node objects as kubelets would register them.
 * Node A runs {@code web} and {@code db}; its agent is killed with SIGKILL and {@code web}'s spec.nodeName edited to B.
 * While A's Node object exists, a stale heartbeat alone releases nothing (A may be partitioned and still run the
 * guest): B waits. Once A's Node object is deleted, the controller releases both on A's behalf (status through the
 * status subresource, a NodeGone Event naming A), B boots {@code web} (one domain in all: B's, A's dead simulator
 * gains nothing), and deleting {@code db}, which still names A, completes.
 */
@ExtendWith(HelmExtension.class)
@KubeApiServer(authorization = AuthorizationMode.RBAC, serviceAccounts = {NodeGoneE2E.AGENT_SA, NodeGoneE2E.CONTROLLER_SA},
        scope = KubeApiServer.Scope.CLASS)
class NodeGoneE2E {
    static final String SYSTEM_NAMESPACE = "domain-operator-system";
    static final String AGENT_SA = SYSTEM_NAMESPACE + "/domain-operator-agent";
    static final String CONTROLLER_SA = SYSTEM_NAMESPACE + "/domain-operator-controller";
    private static final Identity AGENT = Identity.serviceAccount(AGENT_SA);
    private static final Identity CONTROLLER = Identity.serviceAccount(CONTROLLER_SA);
    private static final String NODE_A = "gone-a";
    private static final String NODE_B = "gone-b";

    @TempDir
    static Path stateA;
    @TempDir
    static Path stateB;
    private static String namespace;
    private static Domains domains;
    private static OperatorProcess controller;
    private static OperatorProcess agentA;
    private static OperatorProcess agentB;

    @BeforeAll
    static void start(KubeCluster cluster, Helm helm) {
        Kubectl admin = cluster.kubectl();
        Crds.install(admin);
        if (!admin.run("get", "namespace", SYSTEM_NAMESPACE).succeeded()) {
            admin.ok("create", "namespace", SYSTEM_NAMESPACE);
        }
        var applied = admin.runWithInput(helm.renderTemplates(SYSTEM_NAMESPACE, "templates/serviceaccounts.yaml",
                "templates/rbac-agent.yaml", "templates/rbac-controller.yaml"), "apply", "-f", "-");
        assertThat(applied.exitCode()).as(applied.describe()).isZero();
        for (String node : List.of(NODE_A, NODE_B)) {
            admin.runWithInput("apiVersion: v1\nkind: Node\nmetadata: {name: " + node + "}\n", "apply", "-f", "-");
        }
        namespace = cluster.createNamespace("e2e-node-gone");
        domains = new Domains(admin, namespace);
        controller = OperatorProcess.controller(cluster.kubeconfig(CONTROLLER), SYSTEM_NAMESPACE, "gone-controller");
        agentA = OperatorProcess.agent(cluster.kubeconfig(AGENT), NODE_A, "sim", stateA, SYSTEM_NAMESPACE);
        agentB = OperatorProcess.agent(cluster.kubeconfig(AGENT), NODE_B, "sim", stateB, SYSTEM_NAMESPACE);
        controller.awaitReady();
        agentA.awaitReady();
        agentB.awaitReady();
    }

    @AfterAll
    static void stop(KubeCluster cluster) {
        for (OperatorProcess p : new OperatorProcess[] {agentB, agentA, controller}) {
            if (p != null) {
                p.close();
            }
        }
        cluster.kubectl().run("delete", "node", NODE_A, NODE_B, "--ignore-not-found");
        cluster.deleteNamespace(namespace);
    }

    @Test
    void theDomainsOfANodeWhoseNodeObjectIsDeletedAreReleasedOnItsBehalf(KubeCluster cluster) {
        Kubectl admin = cluster.kubectl();
        domains.apply(Domains.simulated("web", NODE_A));
        domains.apply(Domains.simulated("db", NODE_A));
        String uid = admin.ok("get", "node", NODE_A, "-o", "jsonpath={.metadata.uid}").stdout().trim();
        eventually("web and db Running on " + NODE_A + ", the Node's uid on its heartbeat").untilAsserted(() -> {
            agentA.assertAlive();
            controller.assertAlive();
            for (String name : List.of("web", "db")) {
                assertThat(domains.phase(name)).as(domains.describe(name)).isEqualTo("Running");
                assertThat(domains.get(name, "{.status.node}")).isEqualTo(NODE_A);
            }
            assertThat(admin.ok("get", "lease", "-n", SYSTEM_NAMESPACE, "domainoperator-node-" + NODE_A, "-o",
                    "jsonpath={.metadata.annotations.domainoperator\\.io/node-uid}").stdout().trim()).isEqualTo(uid);
        });

        agentA.kill();
        domains.patchSpec("web", "{\"nodeName\": \"" + NODE_B + "\"}");
        // The killed agent renews no more; its heartbeat is aged rather than waited out (the Lease lasts 40 s).
        String longAgo = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
                .format(Instant.now().minus(10, ChronoUnit.MINUTES).atZone(ZoneOffset.UTC));
        admin.ok("patch", "lease", "-n", SYSTEM_NAMESPACE, "domainoperator-node-" + NODE_A, "--type=merge", "-p",
                "{\"spec\": {\"renewTime\": \"" + longAgo + "\"}}");
        eventually("the controller finds " + NODE_A + " not responding").untilAsserted(() ->
                assertThat(domains.conditionReason("db", "NodeLost")).as(domains.describe("db")).isEqualTo("NodeNotResponding"));
        assertThat(SimulatorStateFile.read(stateB).domain("web")).as("a stale heartbeat alone releases nothing").isEmpty();
        assertThat(domains.get("web", "{.status.node}")).isEqualTo(NODE_A);
        assertThat(domains.eventReasons("web")).contains("WaitingForPreviousNode").doesNotContain("NodeGone");

        admin.ok("delete", "node", NODE_A);
        eventually("web runs on " + NODE_B + " once " + NODE_A + " is gone").untilAsserted(() -> {
            agentB.assertAlive();
            assertThat(domains.phase("web")).as(domains.describe("web") + controller.logTail()).isEqualTo("Running");
            assertThat(domains.get("web", "{.status.node}")).isEqualTo(NODE_B);
        });
        assertThat(SimulatorStateFile.read(stateB).domains()).as("one domain on the live node").extracting(d -> d.name())
                .containsExactly("web");
        assertThat(SimulatorStateFile.read(stateA).domains()).as("the dead node gained nothing").extracting(d -> d.name())
                .containsExactlyInAnyOrder("web", "db");
        assertThat(domains.eventReasons("web")).contains("NodeGone");
        assertThat(eventMessages(admin, "web")).anyMatch(m -> m.contains("node " + NODE_A + " was declared gone")
                && m.contains("was deleted"));

        eventually("db released: it runs nowhere").untilAsserted(() ->
                assertThat(domains.get("db", "{.status.node}")).as(domains.describe("db")).isEmpty());
        domains.delete("db");
        eventually("the deletion of db completes without " + NODE_A).untilAsserted(() ->
                assertThat(domains.exists("db")).as(domains.describe("db")).isFalse());
        assertThat(refusals(controller)).as("refusals in " + controller.log()).isEmpty();
        assertThat(refusals(agentB)).as("refusals in " + agentB.log()).isEmpty();
    }

    private List<String> eventMessages(Kubectl admin, String name) {
        String out = admin.ok("get", "events", "-n", namespace, "--field-selector", "involvedObject.name=" + name,
                "-o", "jsonpath={range .items[*]}{.message}{\"\\n\"}{end}").stdout();
        return List.of(out.split("\n"));
    }

    private static List<String> refusals(OperatorProcess process) {
        try {
            return Files.readAllLines(process.log()).stream().filter(l -> l.toLowerCase(Locale.ROOT).contains("forbidden"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
