package io.domainoperator.e2e.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.domainoperator.e2e.harness.ExclusiveResources;
import io.domainoperator.e2e.harness.KubeApiServer;
import io.domainoperator.e2e.harness.KubeCluster;
import io.domainoperator.e2e.harness.Kubectl;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import io.domainoperator.e2e.harness.image.ProjectImage;
import io.domainoperator.e2e.harness.image.ProjectImageExtension;

/**
 * The image's agent and controller against a real API server, over TLS with a bearer token, as pods of the
 * chart run them: the agent becomes ready and runs a domain on the simulator, the controller becomes ready
 * and takes the leader Lease. Both stop on SIGTERM. The API server comes from {@link KubeApiServer} (its own,
 * as the controller places every unplaced domain it sees); the containers share the host's network to reach it.
 */
@ResourceLock(ExclusiveResources.PODMAN_STORAGE)
@KubeApiServer(scope = KubeApiServer.Scope.CLASS)
@ExtendWith(ProjectImageExtension.class)
class ImageOnApiServerE2E {

    private static final Duration START = Duration.ofMinutes(3);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> containers = new ArrayList<>();

    @AfterEach
    void removeContainers(ProjectImage image) {
        containers.forEach(image.podman()::remove);
    }

    @Test
    void agentRunsADomainAndControllerTakesTheLease(KubeCluster cluster, ProjectImage image, @TempDir Path dir)
            throws IOException {
        Kubectl kubectl = cluster.kubectl();
        kubectl.ok("apply", "-f", repoRoot().resolve("crds").toString());
        kubectl.ok("wait", "--for=condition=Established", "--timeout=60s",
                "customresourcedefinition/domainconfigs.domainoperator.io");
        String namespace = cluster.createNamespace("e2e-image");
        String node = "node-" + namespace;
        List<String> kubeconfigMount = kubeconfigMount(kubectl, dir);
        try {
            int agentPort = freePort();
            String agent = container("agent");
            image.podman().start(agent, options(kubeconfigMount), image.id(), List.of("agent", "--node", node,
                    "--hypervisor", "sim", "--state-dir", "/tmp/state", "--run-dir", "/tmp/run", "--image-root", "/tmp/img",
                    "--lease-namespace", namespace, "--metrics-address", "127.0.0.1",
                    "--metrics-port", Integer.toString(agentPort), "--poll-interval", "1s"));
            awaitReady(image, agent, agentPort);

            kubectl.runWithInput("""
                    apiVersion: domainoperator.io/v1alpha1
                    kind: DomainConfig
                    metadata: {name: web}
                    spec: {displayName: web, virtualizationMode: HVM, vcpus: 1, memoryMiB: 64, nodeName: %s}
                    """.formatted(node), "apply", "-n", namespace, "-f", "-");
            await("web Running, reported by the agent in the image").atMost(START).pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> assertThat(kubectl.run("get", "dom", "web", "-n", namespace, "-o",
                            "jsonpath={.status.phase}").stdout()).isEqualTo("Running"));

            int controllerPort = freePort();
            String controller = container("controller");
            image.podman().start(controller, options(kubeconfigMount), image.id(), List.of("controller",
                    "--namespace", namespace, "--identity", "image-e2e", "--metrics-address", "127.0.0.1",
                    "--metrics-port", Integer.toString(controllerPort)));
            awaitReady(image, controller, controllerPort);
            await("the controller in the image holds a Lease").atMost(START).pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> assertThat(kubectl.run("get", "lease", "-n", namespace, "-o",
                            "jsonpath={.items[*].spec.holderIdentity}").stdout()).contains("image-e2e"));

            for (String name : List.of(agent, controller)) {
                int exitCode = image.podman().stop(name, Duration.ofSeconds(60));
                String log = image.podman().logs(name);
                assertThat(exitCode).as("%s exit code after SIGTERM; log:\n%s", name, log).isEqualTo(143);
                assertThat(log).as(name + " log").doesNotContain(ImageE2E.MISSING_CLASS_SIGNS);
            }
        } finally {
            kubectl.run("delete", "dom", "--all", "-n", namespace, "--wait=false");
            kubectl.run("patch", "dom", "web", "-n", namespace, "--type=merge", "-p", "{\"metadata\":{\"finalizers\":null}}");
            cluster.deleteNamespace(namespace);
        }
    }

    /**
     * The administrator's kubeconfig flattened (certificate and token inline) into a file the image's
     * non-root user may read, mounted where {@code KUBECONFIG} points.
     */
    private static List<String> kubeconfigMount(Kubectl kubectl, Path dir) throws IOException {
        String flat = kubectl.ok("config", "view", "--raw", "--minify", "--flatten").stdout();
        Path file = Files.writeString(dir.resolve("kubeconfig"), flat);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        return List.of("--volume", file + ":/etc/domain-operator/kubeconfig:ro",
                "--env", "KUBECONFIG=/etc/domain-operator/kubeconfig");
    }

    private static List<String> options(List<String> kubeconfigMount) {
        List<String> options = new ArrayList<>(List.of("--network", "host"));
        options.addAll(kubeconfigMount);
        return options;
    }

    private void awaitReady(ProjectImage image, String name, int port) {
        await(name + " ready on /readyz").atMost(START).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            assertThat(image.podman().running(name)).as("%s running; its log:\n%s", name, image.podman().logs(name)).isTrue();
            assertThat(status("http://127.0.0.1:" + port + "/readyz")).isEqualTo(200);
        });
    }

    private int status(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private String container(String role) {
        String name = "domain-operator-image-e2e-api-" + role + "-" + ProcessHandle.current().pid();
        containers.add(name);
        return name;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Path repoRoot() {
        return Path.of(System.getProperty("domainoperator.repo.root", "..")).toAbsolutePath().normalize();
    }
}
