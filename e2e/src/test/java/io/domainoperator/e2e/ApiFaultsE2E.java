package io.domainoperator.e2e;

import static io.domainoperator.e2e.harness.Domains.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.domainoperator.e2e.harness.ApiFault;
import io.domainoperator.e2e.harness.ApiFaultProxy;
import io.domainoperator.e2e.harness.Crds;
import io.domainoperator.e2e.harness.Domains;
import io.domainoperator.e2e.harness.Identity;
import io.domainoperator.e2e.harness.KubeApiServer;
import io.domainoperator.e2e.harness.KubeCluster;
import io.domainoperator.e2e.harness.LocalKubeCluster;
import io.domainoperator.e2e.harness.OperatorProcess;
import io.domainoperator.e2e.harness.SimulatorStateFile;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, API faults: one node agent process (simulator backend) talks to the real kube-apiserver through
 * {@link ApiFaultProxy}, and the control plane misbehaves under it: status writes and Event creations answered
 * with 409 and 5xx, watches cut, every answer slow, the server SIGSTOPped and resumed, the server killed and started
 * again. The agent is never restarted. After each fault: the status is right and matches the hypervisor (the
 * simulator's state file, which the agent process keeps), each boot was one create, each boot one Started event,
 * and, with the server stopped, a guest that rebooted was restarted on the hypervisor all the same.
 */
// A long class without guests (about 150 s): late in the order (junit-platform.properties).
@Order(Order.DEFAULT + 2)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@KubeApiServer(scope = KubeApiServer.Scope.CLASS)
class ApiFaultsE2E {
    private static LocalKubeCluster cluster;
    private static ApiFaultProxy proxy;
    private static OperatorProcess agent;
    private static String namespace;
    private static String node;
    @TempDir
    static Path stateDir;
    private static Domains domains;
    /** The agent's test-only switch for a stand-in kernel (controller's TestKernelSwitch.ENV). */
    private static final String TEST_KERNEL_SWITCH = "DOMAIN_OPERATOR_TEST_KERNEL";
    @TempDir
    static Path ptState;
    private static OperatorProcess passthroughAgent;

    @BeforeAll
    static void startAgentBehindTheProxy(KubeCluster kube) throws IOException {
        Assumptions.assumeTrue(kube instanceof LocalKubeCluster,
                "stopping and killing the API server needs the suite's own; " + kube.description() + " is not");
        cluster = (LocalKubeCluster) kube;
        Crds.install(cluster.kubectl());
        namespace = cluster.createNamespace("e2e-apifaults");
        node = "node-" + namespace;
        domains = new Domains(cluster.kubectl(), namespace);
        proxy = ApiFaultProxy.start(cluster);
        agent = OperatorProcess.agent(proxy.kubeconfig(Identity.ADMIN, stateDir), node, "sim", stateDir, namespace)
                .awaitReady();
    }

    @AfterAll
    static void stop() {
        if (passthroughAgent != null) {
            passthroughAgent.close();
        }
        if (agent != null) {
            agent.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (cluster != null) {
            cluster.deleteNamespace(namespace);
        }
    }

    @Test
    @Order(1)
    void statusWritesAndEventsRefusedThenAcceptedLoseNothingAndRepeatNothing() {
        double creates = creates();
        ApiFault conflicts = proxy.inject(ApiFault.answer("status 409", ApiFault.statusWrite("domainconfigs"), 409, 3));
        ApiFault unavailable = proxy.inject(ApiFault.answer("status 503", ApiFault.statusWrite("domainconfigs"), 503, 4));
        ApiFault eventErrors = proxy.inject(ApiFault.answer("event 500", ApiFault.eventCreate(), 500, 2));

        domains.apply(Domains.simulated("refused", node));

        awaitRunningAsOnTheHypervisor("refused");
        assertThat(conflicts.left()).as("every scripted conflict was met: " + conflicts).isZero();
        assertThat(unavailable.left()).as("every scripted 503 was met: " + unavailable).isZero();
        assertThat(creates() - creates).as("one boot, one create").isEqualTo(1);
        awaitOneStartedEvent("refused", 1);
        proxy.clearFaults();
    }

    @Test
    @Order(2)
    void cutWatchesAndASlowServerStillCarryEveryChange() {
        double creates = creates();
        proxy.delay(Duration.ofMillis(700));
        try {
            domains.apply(Domains.simulated("slow", node));
            await("the agent watches through the proxy").atMost(Duration.ofMinutes(1)).until(() -> proxy.openWatches() > 0);
            assertThat(proxy.closeWatches()).isPositive();
            awaitRunningAsOnTheHypervisor("slow");
            proxy.closeWatches();

            domains.patchSpec("slow", "{\"activate\": false}");
            proxy.closeWatches();
            eventually("slow halted after its watches were cut").untilAsserted(() -> {
                agent.assertAlive();
                assertThat(domains.phase("slow")).as(domains.describe("slow")).isEqualTo("Halted");
            });
        } finally {
            proxy.delay(Duration.ZERO);
        }
        assertThat(SimulatorStateFile.read(stateDir).domain("slow")).as("halted: gone from the hypervisor").isEmpty();
        assertThat(creates() - creates).as("one boot, one create").isEqualTo(1);
        awaitOneStartedEvent("slow", 1);
        assertThat(domains.eventReasons("slow")).filteredOn("GracefulShutdown"::equals).hasSize(1);
        assertThat(proxy.delayedRequests()).isPositive();
    }

    @Test
    @Order(3)
    void aGuestRebootIsFollowedOnTheHypervisorWhileTheApiServerIsStopped() throws IOException {
        awaitRunningAsOnTheHypervisor("refused");
        int before = SimulatorStateFile.read(stateDir).domain("refused").orElseThrow().id();
        double creates = creates();

        cluster.pauseApiServer();
        try {
            SimulatorStateFile.requestGuestEvent(stateDir, "refused", "reboot");
            // Observed through the simulator's state file, which the agent process writes: the API server answers nothing.
            await("the rebooted guest rebuilt and running on the hypervisor while the API server is stopped")
                    .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                        agent.assertAlive();
                        var d = SimulatorStateFile.read(stateDir).domain("refused");
                        assertThat(d).as("the domain exists again").isPresent();
                        assertThat(d.get().id()).as("a new domain").isNotEqualTo(before);
                        assertThat(d.get().phase()).isEqualTo("RUNNING");
                    });
        } finally {
            cluster.resumeApiServer();
        }
        int after = SimulatorStateFile.read(stateDir).domain("refused").orElseThrow().id();
        eventually("the status catches up once the server answers again").untilAsserted(() -> {
            agent.assertAlive();
            assertThat(domains.get("refused", "{.status.domainId}")).isEqualTo(Integer.toString(after));
            assertThat(domains.phase("refused")).isEqualTo("Running");
            assertThat(domains.get("refused", "{.status.restartCount}")).isEqualTo("1");
        });
        assertThat(creates() - creates).as("one restart, one create").isEqualTo(1);
        awaitOneStartedEvent("refused", 2);
    }

    @Test
    @Order(4)
    void theAgentCarriesOnAfterTheApiServerIsKilledAndStartedAgain() {
        double creates = creates();
        cluster.killAndRestartApiServer();

        domains.apply(Domains.simulated("after-kill", node));
        domains.patchSpec("refused", "{\"activate\": false}");

        awaitRunningAsOnTheHypervisor("after-kill");
        eventually("refused halted").untilAsserted(() -> {
            agent.assertAlive();
            assertThat(domains.phase("refused")).as(domains.describe("refused")).isEqualTo("Halted");
        });
        assertThat(SimulatorStateFile.read(stateDir).domain("refused")).isEmpty();
        assertThat(creates() - creates).as("after-kill booted once, nothing else").isEqualTo(1);
        awaitOneStartedEvent("after-kill", 1);
    }

    /**
     * Item 2 for passthrough: with the API server stopped, a domain waiting for a GPU its holder uses boots as soon as
     * the holder's guest powers off. The release, the assign (adapters read from the agent's cache, the holder from the
     * node's device journal), the create and the unpause all happen on the node; the adapters' status follows once the
     * server answers. A second agent process with passthrough on the device plugin's stand-in kernel (a fake machine).
     */
    @Test
    @Order(5)
    void aPassthroughDomainBootsWhileTheApiServerIsStopped() throws IOException {
        String ptNode = "pt-" + namespace;
        String gpu = ptNode + "-pci-0000-01-00.0";
        passthroughAgent = OperatorProcess.agentWithEnv(cluster.kubeconfig(), ptNode, "sim", ptState, namespace,
                Map.of(TEST_KERNEL_SWITCH, "io.domainoperator.device.ReplayedKernel"),
                "--device-passthrough", "--sysfs-root", ptState.resolve("sysfs").toString(), "--dom0-port", "eth0")
                .awaitReady();
        domains.apply(Domains.simulated("gpu-holder", ptNode) + "  adapters: [" + gpu + "]\n");
        eventually("gpu-holder Running with the GPU").untilAsserted(() -> {
            passthroughAgent.assertAlive();
            assertThat(domains.phase("gpu-holder")).as(domains.describe("gpu-holder")).isEqualTo("Running");
        });
        domains.apply(Domains.simulated("gpu-waiter", ptNode) + "  adapters: [" + gpu + "]\n");
        eventually("gpu-waiter waits for the GPU").untilAsserted(() ->
                assertThat(domains.get("gpu-waiter", "{.status.conditions}")).contains("AdapterBusy")
                        .contains("is held by " + namespace + "/gpu-holder"));

        cluster.pauseApiServer();
        try {
            SimulatorStateFile.requestGuestEvent(ptState, "gpu-holder", "poweroff");
            await("gpu-waiter running on the hypervisor with the GPU while the API server is stopped")
                    .atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                        passthroughAgent.assertAlive();
                        var state = SimulatorStateFile.read(ptState);
                        assertThat(state.domain("gpu-holder")).as("the holder powered off").isEmpty();
                        assertThat(state.domain("gpu-waiter")).as("the waiter exists").isPresent();
                        assertThat(state.domain("gpu-waiter").get().phase()).isEqualTo("RUNNING");
                    });
        } finally {
            cluster.resumeApiServer();
        }
        eventually("status and the GPU's holder catch up once the server answers").untilAsserted(() -> {
            passthroughAgent.assertAlive();
            assertThat(domains.phase("gpu-waiter")).as(domains.describe("gpu-waiter")).isEqualTo("Running");
            assertThat(domains.phase("gpu-holder")).isEqualTo("Halted");
            assertThat(cluster.kubectl().ok("get", "physicalioadapter", gpu, "-o", "jsonpath={.status.assignedTo}").stdout())
                    .isEqualTo(namespace + "/gpu-waiter");
        });
    }

    /** Running and Ready, with the domain id and state the simulator (the hypervisor) has. */
    private static void awaitRunningAsOnTheHypervisor(String name) {
        eventually(name + " Running, Ready and as on the hypervisor").untilAsserted(() -> {
            agent.assertAlive();
            assertThat(domains.phase(name)).as(domains.describe(name)).isEqualTo("Running");
            assertThat(domains.condition(name, "Ready")).isEqualTo("True");
            var d = SimulatorStateFile.read(stateDir).domain(name);
            assertThat(d).as(name + " on the hypervisor").isPresent();
            assertThat(d.get().phase()).isEqualTo("RUNNING");
            assertThat(domains.get(name, "{.status.domainId}")).isEqualTo(Integer.toString(d.get().id()));
        });
    }

    /** Events are written after the status, by a thread of their own: wait for the count, then hold it to exactly n. */
    private static void awaitOneStartedEvent(String name, int boots) {
        eventually(name + ": " + boots + " Started event(s), one per boot").untilAsserted(() ->
                assertThat(domains.eventReasons(name)).filteredOn("Started"::equals).hasSize(boots));
    }

    private static double creates() {
        return agent.metrics().sum("domainoperator_hypervisor_calls_total", Map.of("call", "create", "node", node));
    }
}
