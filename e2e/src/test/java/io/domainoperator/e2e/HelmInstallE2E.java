package io.domainoperator.e2e;

import static io.domainoperator.e2e.harness.Domains.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.domainoperator.e2e.harness.chart.ChartFiles;
import io.domainoperator.e2e.harness.chart.Helm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import io.domainoperator.e2e.harness.Domains;
import io.domainoperator.e2e.harness.ExclusiveResources;
import io.domainoperator.e2e.harness.KubeBinaries;
import io.domainoperator.e2e.harness.KubeNode;
import io.domainoperator.e2e.harness.Kubectl;
import io.domainoperator.e2e.harness.KubectlTable;
import io.domainoperator.e2e.harness.LocalKubeNode;
import io.domainoperator.e2e.harness.NodeCluster;
import io.domainoperator.e2e.harness.PrometheusText;
import io.domainoperator.e2e.harness.QemuGuest;
import io.domainoperator.e2e.harness.RepoFiles;

/**
 * The chart as a fleet installs it, on a real node ({@link KubeNode}), with the project image built by
 * {@code .ci/setup.d/70-image.sh}: only values differ from the defaults (the image's name and tag, pull policy
 * Never, the QEMU backend with user networking, host directories under the node's temp directory).
 *
 * <p>Installed, the agent DaemonSet's pod is Ready on the labelled node and the controller's two replicas run
 * with one leader. The nfs-server and nfs-client examples (their images pointed at the cached tiny guest) are
 * placed by the controller and booted by QEMU inside the agent pod: Ready, with node and domain id in
 * {@code kubectl get dom}, their CPU seconds on {@code /metrics} through the agent's Service. Then the guests
 * outlive the agent: the agent pod is deleted, then the DaemonSet rolled to a new image tag, and each time the
 * same QEMU processes keep running and counting CPU time, and the new agent reports them Running without a
 * boot, a second QEMU or a forced shutdown. Deleting the domains and {@code helm uninstall} leave no QEMU and no
 * finalizer. Two guests under TCG: lean, but minutes.
 */
// The longest class, second in the order (junit-platform.properties): the local node KubeNodeE2E starts meanwhile.
@Order(2)
@ResourceLock(ExclusiveResources.QEMU_GUESTS)
@KubeNode
class HelmInstallE2E {
    private static final String RELEASE = "do-e2e";
    private static final String IMAGE = "localhost/domain-operator";
    private static final List<String> GUESTS = List.of("nfs-server", "nfs-client");
    private static final Duration INSTALL = Duration.ofMinutes(8);
    private static final Duration BOOT = Duration.ofMinutes(10);
    private static final String READY_SINCE = "{.status.conditions[?(@.type==\"Ready\")].lastTransitionTime}";

    private NodeCluster node;
    private String namespace;
    private Path stateDir;
    private Helm helm;
    private boolean installed;

    @Test
    void theChartRunsGuestsThatOutliveTheAgent(NodeCluster node) throws IOException {
        this.node = node;
        Path guest = QemuGuest.assumeAvailable();
        helm = Helm.locate().orElse(null);
        assumeTrue(helm != null, Helm.MISSING);
        Path archive = KubeBinaries.cacheDir().resolve("image/domain-operator.oci.tar");
        assumeTrue(Files.isRegularFile(archive), "no project image at " + archive
                + ": .ci/setup.d/70-image.sh builds it from the Dockerfile with buildah");
        assumeTrue(node.local().isPresent(), "on a cluster from KUBECONFIG the image " + IMAGE + ":ci must be on its"
                + " nodes; this suite loads it into the local node only");
        LocalKubeNode local = node.local().get();
        local.loadImage(archive, IMAGE);
        local.tagImage(IMAGE + ":ci", IMAGE + ":e2e-roll");
        Kubectl kubectl = node.kubectl();
        kubectl.ok("label", "node", node.nodeName(), "domainoperator.io/hypervisor=true", "--overwrite");

        namespace = node.cluster().createNamespace("e2e-helm");
        stateDir = local.hostDir("state");
        Path imageRoot = local.hostDir("img");
        Path guestImages = Files.createDirectories(imageRoot.resolve("tiny-linux"));
        for (String file : List.of("vmlinuz", "initrd.img")) {
            Files.copy(guest.resolve(file), guestImages.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }

        helmOk(INSTALL, "install", RELEASE, ChartFiles.chart().toString(), "-n", namespace, "--wait",
                "--timeout", INSTALL.toSeconds() + "s",
                "--set", "image.repository=" + IMAGE, "--set", "image.tag=ci", "--set", "image.pullPolicy=Never",
                "--set", "agent.hypervisor=qemu",
                "--set", "agent.hostPaths.stateDir=" + stateDir, "--set", "agent.hostPaths.runDir=" + local.hostDir("run"),
                "--set", "agent.hostPaths.imageRoot=" + imageRoot,
                "--set", "agent.extraArgs={--qemu-user-networking}",
                // hostNetwork: the agent's metrics port is opened on this machine, where 9464 may be taken.
                "--set", "agent.metrics.port=" + freePort(),
                "--set", "knobs.pollIntervalSeconds=2");
        installed = true;

        String agentPod = readyAgentPod(kubectl, null);
        // Ready, not only Running: a crash-looping container's pod still reports phase Running.
        List<String> controllers = new ArrayList<>();
        eventually("two controller replicas Ready").atMost(INSTALL).untilAsserted(() -> {
            String out = kubectl.ok("get", "pods", "-n", namespace, "-l", "app.kubernetes.io/component=controller", "-o",
                    "jsonpath={range .items[*]}{.metadata.name} {.status.conditions[?(@.type==\"Ready\")].status}"
                            + "{\"\\n\"}{end}").stdout();
            List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
            assertThat(lines).as(out).hasSize(2).allSatisfy(line -> assertThat(line).endsWith(" True"));
            controllers.clear();
            lines.forEach(line -> controllers.add(line.split(" ")[0]));
        });
        eventually("one controller leads").untilAsserted(() -> assertThat(kubectl.ok("get", "lease",
                "domain-operator-controller", "-n", namespace, "-o", "jsonpath={.spec.holderIdentity}").stdout())
                .isIn(controllers));

        Domains domains = new Domains(kubectl, namespace);
        Path examples = RepoFiles.examples().orElseThrow();
        for (String name : GUESTS) {
            // The tiny guest ignores ACPI: each halt at the end waits out shutdownTimeoutSeconds, so keep it short.
            domains.apply(QemuGuest.example(examples.resolve(name + ".yaml"), guestImages)
                    .replace("shutdownTimeoutSeconds: 30", "shutdownTimeoutSeconds: 5"));
        }
        var wait = kubectl.run(BOOT.plusMinutes(1), null, List.of("wait", "-n", namespace, "--for=condition=Ready",
                "--timeout=" + BOOT.toSeconds() + "s", "dom/nfs-server", "dom/nfs-client"));
        assertThat(wait.exitCode()).as(wait.describe() + domains.describe("nfs-server") + domains.describe("nfs-client")
                + kubectl.run("logs", "-n", namespace, agentPod, "--tail=40").stdout()).isZero();
        KubectlTable table = domains.table();
        for (String name : GUESTS) {
            assertThat(table.row(name)).containsEntry("NODE", node.nodeName()).containsEntry("PHASE", "Running");
            assertThat(table.row(name).get("DOMID")).as(name + " has a domain id").matches("\\d+");
        }
        Map<String, ProcessHandle> qemus = qemus();
        // The guests' uptime as the cluster records it: Ready since, under one domain id.
        Map<String, String> readySince = new java.util.HashMap<>();
        for (String name : GUESTS) {
            readySince.put(name, domains.get(name, "{.status.domainId} " + READY_SINCE));
        }
        // /metrics renders the poller's listing, which may reach a domain one poll after its Ready status did.
        AtomicReference<Map<String, Double>> scraped = new AtomicReference<>();
        eventually("guests' CPU seconds on /metrics").untilAsserted(() -> {
            scraped.set(guestCpuSeconds(kubectl));
            assertThat(scraped.get()).as("guests' CPU seconds on /metrics through the agent's Service")
                .containsKeys("nfs-server", "nfs-client");
        });
        Map<String, Double> cpu = scraped.get();

        kubectl.ok("delete", "pod", "-n", namespace, agentPod, "--wait=true");
        String replacement = readyAgentPod(kubectl, agentPod);
        cpu = assertGuestsOutlived(kubectl, domains, qemus, readySince, cpu, replacement);

        helmOk(INSTALL, "upgrade", RELEASE, ChartFiles.chart().toString(), "-n", namespace, "--reuse-values", "--wait",
                "--timeout", INSTALL.toSeconds() + "s", "--set", "image.tag=e2e-roll");
        String rolled = readyAgentPod(kubectl, replacement);
        assertThat(kubectl.ok("get", "pod", "-n", namespace, rolled, "-o", "jsonpath={.spec.containers[0].image}").stdout())
                .isEqualTo(IMAGE + ":e2e-roll");
        assertGuestsOutlived(kubectl, domains, qemus, readySince, cpu, rolled);

        kubectl.ok("delete", "dom", "--all", "-n", namespace, "--wait=false");
        eventually("the guests halted and deleted").atMost(BOOT).untilAsserted(() -> {
            for (String name : GUESTS) {
                assertThat(domains.exists(name)).as(domains.describe(name)).isFalse();
            }
        });
        helmOk(INSTALL, "uninstall", RELEASE, "-n", namespace, "--wait", "--timeout", INSTALL.toSeconds() + "s");
        installed = false;
        for (String name : GUESTS) {
            assertThat(QemuGuest.processes(stateDir, name)).as("QEMU of " + name + " after uninstall").isEmpty();
        }
        assertThat(kubectl.ok("get", "dom", "-A", "-o", "jsonpath={.items[*].metadata.finalizers}").stdout()).isBlank();
    }

    /** The same QEMUs, still running and counting CPU; the new agent booted nothing and forced nothing. */
    private Map<String, Double> assertGuestsOutlived(Kubectl kubectl, Domains domains, Map<String, ProcessHandle> before,
                                                     Map<String, String> readySince, Map<String, Double> cpuBefore,
                                                     String agentPod) {
        eventually("the new agent reports both Running and Ready").untilAsserted(() -> {
            for (String name : GUESTS) {
                assertThat(domains.phase(name)).as(domains.describe(name)).isEqualTo("Running");
                assertThat(domains.condition(name, "Ready")).isEqualTo("True");
            }
        });
        before.forEach((name, qemu) -> {
            assertThat(QemuGuest.processes(stateDir, name)).as("QEMUs of " + name).containsExactly(qemu.pid());
            assertThat(qemu.isAlive()).isTrue();
            assertThat(domains.eventReasons(name)).as(name + "'s events").doesNotContain("ShutdownForced");
            assertThat(domains.get(name, "{.status.domainId} " + READY_SINCE)).as(name + ": domain id and Ready since")
                    .isEqualTo(readySince.get(name));
        });
        AtomicReference<Map<String, Double>> cpu = new AtomicReference<>();
        eventually("the guests' CPU seconds keep counting under " + agentPod).untilAsserted(() -> {
            cpu.set(guestCpuSeconds(kubectl));
            for (String name : GUESTS) {
                assertThat(cpu.get().get(name)).as(name).isGreaterThan(cpuBefore.get(name));
            }
        });
        PrometheusText metrics = scrape(kubectl);
        assertThat(metrics.sum("domainoperator_boot_attempts_total", Map.of())).as("boots by " + agentPod).isZero();
        return cpu.get();
    }

    private Map<String, ProcessHandle> qemus() {
        Map<String, ProcessHandle> byName = new java.util.HashMap<>();
        for (String name : GUESTS) {
            List<Long> pids = QemuGuest.processes(stateDir, name);
            assertThat(pids).as("QEMU processes of " + name + " (hostPID: the host sees them)").hasSize(1);
            byName.put(name, ProcessHandle.of(pids.getFirst()).orElseThrow());
        }
        return byName;
    }

    /** The agent pod on the node, Ready, other than {@code previous} (which is gone or going). */
    private String readyAgentPod(Kubectl kubectl, String previous) {
        String[] pod = new String[1];
        eventually("an agent pod Ready on " + node.nodeName()).atMost(INSTALL).untilAsserted(() -> {
            List<String> ready = new ArrayList<>();
            String out = kubectl.ok("get", "pods", "-n", namespace, "-l", "app.kubernetes.io/component=agent", "-o",
                    "jsonpath={range .items[*]}{.metadata.name} {.spec.nodeName} {.metadata.deletionTimestamp}"
                            + " {.status.conditions[?(@.type==\"Ready\")].status}{\"\\n\"}{end}").stdout();
            for (String line : out.lines().toList()) {
                String[] f = line.trim().split("\\s+");
                if (f.length == 3 && !f[0].equals(previous) && f[1].equals(node.nodeName()) && f[2].equals("True")) {
                    ready.add(f[0]);
                }
            }
            assertThat(ready).as(out).hasSize(1);
            pod[0] = ready.getFirst();
        });
        return pod[0];
    }

    private PrometheusText scrape(Kubectl kubectl) {
        return PrometheusText.parse(kubectl.ok("get", "--raw", "/api/v1/namespaces/" + namespace + "/services/"
                + RELEASE + "-domain-operator-agent-metrics:metrics/proxy/metrics").stdout());
    }

    private Map<String, Double> guestCpuSeconds(Kubectl kubectl) {
        PrometheusText metrics = scrape(kubectl);
        Map<String, Double> seconds = new java.util.HashMap<>();
        for (String name : GUESTS) {
            if (!metrics.samples("domainoperator_domain_cpu_seconds_total", Map.of("name", name)).isEmpty()) {
                seconds.put(name, metrics.sum("domainoperator_domain_cpu_seconds_total", Map.of("name", name)));
            }
        }
        return seconds;
    }

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void helmOk(Duration timeout, String... args) {
        List<String> command = new ArrayList<>(List.of(args));
        command.addAll(List.of("--kubeconfig", node.cluster().kubeconfig().toString()));
        Kubectl.Result result = helm.run(command, timeout.plusMinutes(1));
        assertThat(result.exitCode()).as(result.describe()).isZero();
    }

    @AfterEach
    void cleanUp() {
        if (node == null) {
            return;
        }
        if (installed) {
            node.kubectl().run("delete", "dom", "--all", "-n", namespace, "--wait=false");
            helm.run(List.of("uninstall", RELEASE, "-n", namespace, "--kubeconfig", node.cluster().kubeconfig().toString()),
                    Duration.ofMinutes(3));
        }
        if (stateDir != null) {
            QemuGuest.killAll(stateDir);
        }
        if (namespace != null) {
            node.cluster().deleteNamespace(namespace);
        }
    }
}
