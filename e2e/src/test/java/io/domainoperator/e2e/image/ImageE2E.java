package io.domainoperator.e2e.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.domainoperator.controller.cli.Main;
import io.domainoperator.e2e.harness.ExclusiveResources;
import io.domainoperator.e2e.harness.Kubectl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import io.domainoperator.e2e.harness.image.ProjectImage;
import io.domainoperator.e2e.harness.image.ProjectImageExtension;

/**
 * The image a fleet installs, run as a container runtime runs it (its entrypoint, its non-root user, its
 * jlink'd Java runtime): every subcommand's help, the version, an xl import, standalone mode booting the
 * examples on the simulator and stopping on SIGTERM, and agent and controller getting as far as the API
 * server with the JDK's HTTP client, which fabric8 finds through ServiceLoader (the image once crashed
 * there with NoClassDefFoundError: java/net/http/HttpClient). A cluster the processes can reach is
 * {@link ImageOnApiServerE2E}'s part.
 */
@ResourceLock(ExclusiveResources.PODMAN_STORAGE)
@ExtendWith(ProjectImageExtension.class)
class ImageE2E {

    /** Signs of a jlink'd runtime that lacks a module the jars need. */
    static final List<String> MISSING_CLASS_SIGNS = List.of("NoClassDefFoundError", "ClassNotFoundException",
            "ServiceConfigurationError", "No HttpClient implementation", "NoSuchProviderException");
    /** What agent and controller say when the API server does not answer (ClusterConnection). */
    private static final String UNREACHABLE = "cannot reach the Kubernetes API server";
    /** A JVM start on two cores that several test runs share. */
    private static final Duration RUN = Duration.ofMinutes(2);

    private final List<String> containers = new ArrayList<>();

    @BeforeAll
    static void printSize(ProjectImage image) {
        // The extension prints the size once when it loads the image; the class states it again beside its results.
        System.out.printf("ImageE2E: image %s is %d MiB%n", image.archive().reference(), image.sizeBytes() / (1024 * 1024));
    }

    @AfterEach
    void removeContainers(ProjectImage image) {
        containers.forEach(image.podman()::remove);
    }

    @Test
    void everySubcommandPrintsItsHelp(ProjectImage image) {
        assertHelp(image, List.of("--help"), "Usage: domain-operator ");
        for (String subcommand : Main.commandLine().getSubcommands().keySet()) {
            assertHelp(image, List.of(subcommand, "--help"), "Usage: domain-operator " + subcommand);
        }
    }

    @Test
    void versionNamesTheProgram(ProjectImage image) {
        Kubectl.Result version = run(image, List.of(), List.of("--version"));

        assertThat(version.exitCode()).as(version.describe()).isZero();
        assertThat(version.stdout()).as(version.describe()).startsWith("domain-operator ");
    }

    @Test
    void importXlConvertsAnXlFileAndRejectsAMissingOne(ProjectImage image, @TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("web.cfg"), """
                name = "web"
                type = "pvh"
                memory = 256
                vcpus = 2
                kernel = "/var/lib/domain-operator/images/tiny-linux/vmlinuz"
                """);
        readableByAll(dir);
        List<String> mount = List.of("--network", "none", "--volume", dir + ":/in:ro");

        Kubectl.Result converted = run(image, mount, List.of("import-xl", "/in/web.cfg"));
        Kubectl.Result missing = run(image, mount, List.of("import-xl", "/in/absent.cfg"));

        assertThat(converted.exitCode()).as(converted.describe()).isZero();
        JsonNode manifest = new ObjectMapper(new YAMLFactory()).readTree(converted.stdout());
        assertThat(manifest.path("kind").asText()).as(converted.describe()).isEqualTo("DomainConfig");
        assertThat(manifest.path("spec").path("memoryMiB").asInt()).as(converted.describe()).isEqualTo(256);
        assertThat(manifest.path("spec").path("vcpus").asInt()).as(converted.describe()).isEqualTo(2);
        assertThat(missing.exitCode()).as("a missing file is input to fix: " + missing.describe()).isEqualTo(Main.EXIT_INVALID_INPUT);
        assertThat(missing.stdout() + missing.stderr()).contains("/in/absent.cfg");
    }

    @Test
    void standaloneBootsTheExamplesOnTheSimulatorAndStopsOnSigterm(ProjectImage image, @TempDir Path dir) throws IOException {
        Path manifests = Files.createDirectories(dir.resolve("manifests"));
        try (Stream<Path> examples = Files.list(examplesDir())) {
            for (Path example : examples.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                Files.copy(example, manifests.resolve(example.getFileName()));
            }
        }
        // The image runs as uid 65532; its state directory is a host directory it must be able to write.
        Path state = Files.createDirectories(dir.resolve("state"));
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxrwxrwx"));
        String name = container("standalone");

        image.podman().start(name, List.of("--network", "none",
                        "--volume", manifests + ":/manifests:ro", "--volume", state + ":/state"),
                image.id(), List.of("standalone", "--manifests", "/manifests", "--hypervisor", "sim",
                        "--state-dir", "/state", "--run-dir", "/state/run", "--image-root", "/state/img",
                        "--poll-interval", "1s"));

        Path serverStatus = state.resolve("status").resolve("default_nfs-server.yaml");
        Path clientStatus = state.resolve("status").resolve("default_nfs-client.yaml");
        await("nfs-server and nfs-client Running in the container's status files").atMost(RUN)
                .pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                    assertThat(image.podman().running(name)).as("standalone still running; its log:\n%s",
                            image.podman().logs(name)).isTrue();
                    assertThat(phase(serverStatus)).isEqualTo("Running");
                    assertThat(phase(clientStatus)).isEqualTo("Running");
                });
        int exitCode = image.podman().stop(name, Duration.ofSeconds(60));
        String log = image.podman().logs(name);

        // 143 = 128 + SIGTERM: the JVM ran its shutdown hooks and exited on the signal; 137 would be the SIGKILL
        // podman sends when the grace period runs out.
        assertThat(exitCode).as("exit code after SIGTERM; log:\n%s", log).isEqualTo(143);
        assertThat(log).contains("default/nfs-server: phase=Running", "default/nfs-client: phase=Running");
        assertThat(log).doesNotContain(MISSING_CLASS_SIGNS);
    }

    @Test
    void agentAndControllerReachForTheApiServerWithTheJdkHttpClient(ProjectImage image, @TempDir Path dir)
            throws IOException {
        // An API server nobody listens on (a container without network): each process must get as far as a
        // connection attempt from the JDK's HTTP client, every class up to there loaded.
        Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters:
                - name: nowhere
                  cluster: {server: "https://127.0.0.1:1"}
                users:
                - name: nobody
                  user: {token: "no-token"}
                contexts:
                - name: nowhere
                  context: {cluster: nowhere, user: nobody}
                current-context: nowhere
                """);
        readableByAll(dir);
        List<String> options = List.of("--network", "none", "--volume", kubeconfig + ":/etc/kubeconfig:ro",
                "--env", "KUBECONFIG=/etc/kubeconfig");
        String agent = container("agent");
        String controller = container("controller");

        // Both at once: each JVM start takes a while on a shared machine.
        image.podman().start(agent, options, image.id(), List.of("agent", "--node", "image-e2e", "--hypervisor", "sim",
                "--state-dir", "/tmp/state", "--run-dir", "/tmp/run", "--image-root", "/tmp/img"));
        image.podman().start(controller, options, image.id(), List.of("controller", "--identity", "image-e2e"));

        for (String name : List.of(agent, controller)) {
            await(name + " tried the API server").atMost(RUN).pollInterval(Duration.ofSeconds(1))
                    .until(() -> image.podman().logs(name).contains(UNREACHABLE) || !image.podman().running(name));
            image.podman().stop(name, Duration.ofSeconds(30));
            String log = image.podman().logs(name);
            // The start-up probe asks the API server through fabric8's client, built on the JDK's HTTP client
            // (java.net.http, which jdeps alone missed): the answer is the probe's own message about the address,
            // not a class that could not be loaded.
            assertThat(log).as(name + " log").contains(UNREACHABLE + " at https://127.0.0.1:1/").contains("Set KUBECONFIG");
            assertThat(log).as(name + " log").doesNotContain(MISSING_CLASS_SIGNS);
        }
    }

    private void assertHelp(ProjectImage image, List<String> args, String usage) {
        Kubectl.Result help = run(image, List.of("--network", "none"), args);
        assertThat(help.exitCode()).as(help.describe()).isZero();
        assertThat(help.stdout()).as(help.describe()).contains(usage);
        assertThat(help.stdout() + help.stderr()).as(help.describe()).doesNotContain(MISSING_CLASS_SIGNS);
    }

    private static Kubectl.Result run(ProjectImage image, List<String> options, List<String> args) {
        return image.podman().run(RUN, options, image.id(), args);
    }

    private String container(String role) {
        String name = "domain-operator-image-e2e-" + role + "-" + ProcessHandle.current().pid();
        containers.add(name);
        return name;
    }

    /** The image runs as uid 65532; JUnit's temporary directories are the test user's only. */
    private static void readableByAll(Path dir) throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            }
        }
    }

    private static String phase(Path statusFile) throws IOException {
        if (!Files.exists(statusFile)) {
            return "(no status file " + statusFile.getFileName() + " yet)";
        }
        JsonNode status = new ObjectMapper(new YAMLFactory()).readTree(statusFile.toFile()).path("status");
        return status.path("phase").asText("(no phase)");
    }

    private static Path examplesDir() {
        String root = System.getProperty("domainoperator.repo.root", "..");
        return Path.of(root).toAbsolutePath().normalize().resolve("examples");
    }
}
