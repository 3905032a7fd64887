package io.domainoperator.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulator's flags as a user (or the benchmark) passes them to the built jar: {@code --sim-latency} and
 * {@code --sim-hang} are accepted by a running standalone agent, which boots its domain and counts its hypervisor
 * calls on /metrics; a bad value exits 2 naming the flag and the expected form.
 */
// Among the longest classes without guests: first of the worker that starts from the end (see the failsafe configuration).
@Order(Order.DEFAULT + 2)
class SimulatorFlagsProcessIT {
    /** Only a bound on a hung process, never a timing assertion. */
    private static final long TIMEOUT = 300;
    private static final String DOMAIN = """
        apiVersion: domainoperator.io/v1alpha1
        kind: DomainConfig
        metadata: {name: web, namespace: default}
        spec: {displayName: web, virtualizationMode: HVM, vcpus: 1, memoryMiB: 64}
        """;

    @TempDir
    Path tmp;

    @Test
    void aStandaloneAgentTakesBothFlagsAndBootsItsDomain() throws Exception {
        Path manifests = Files.createDirectories(tmp.resolve("manifests"));
        Files.writeString(manifests.resolve("web.yaml"), DOMAIN);
        int port = freePort();
        CliProcess agent = CliProcess.jar(tmp, Map.of(), tmp.resolve("logs"), "standalone", "--manifests", manifests.toString(),
            "--hypervisor", "sim", "--sim-latency", "create=1500ms,unpause=50ms,list=20ms",
            "--sim-hang", "shutdown:web=60s,list:other=2s", "--metrics-address", "127.0.0.1", "--metrics-port", Integer.toString(port));
        try {
            await("web Running with the flags given").atMost(Duration.ofSeconds(TIMEOUT)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    assertThat(agent.alive()).as("standalone still running; stderr:\n%s", agent.stderr()).isTrue();
                    assertThat(phase(tmp.resolve("state/status/default_web.yaml"))).isEqualTo("Running");
                });
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("domainoperator_hypervisor_calls_total{call=\"create\",node=\"standalone\"} 1.0")
                .containsPattern("domainoperator_hypervisor_calls_total\\{call=\"list\",node=\"standalone\"} [1-9]");
        } finally {
            agent.terminate(TIMEOUT);
        }
    }

    @Test
    void badValuesExitTwoNamingTheFlag() {
        CliProcess latency = run("--sim-latency", "create=fast");
        CliProcess operation = run("--sim-latency", "boot=1s");
        CliProcess hang = run("--sim-hang", "reboot:web=60s");
        CliProcess help = CliProcess.jar(tmp, Map.of(), tmp.resolve("logs"), "agent", "--help");

        assertRefused(latency.finish(TIMEOUT), "--sim-latency", "create must be a duration such as 800ms");
        assertRefused(operation.finish(TIMEOUT), "--sim-latency", "OPERATION one of create, unpause");
        assertRefused(hang.finish(TIMEOUT), "--sim-hang", "CALL:DOMAIN=DURATION with CALL list or shutdown");
        CliProcess.Result h = help.finish(TIMEOUT);
        assertThat(h.exit()).as("%s", h).isZero();
        assertThat(h.stdout()).as("%s", h).contains("--sim-latency=OPERATION=DURATION").contains("--sim-hang=CALL:DOMAIN=DURATION");
    }

    private CliProcess run(String... flag) {
        String[] args = {"standalone", "--manifests", tmp.toString(), "--hypervisor", "sim", "--metrics-port", "0", flag[0], flag[1]};
        return CliProcess.jar(tmp, Map.of(), tmp.resolve("logs"), args);
    }

    private static void assertRefused(CliProcess.Result r, String option, String form) {
        assertThat(r.exit()).as("%s", r).isEqualTo(2);
        assertThat(r.stderr()).as("%s", r).contains("Invalid value for option '" + option).contains(form);
    }

    private static String phase(Path statusFile) throws IOException {
        return Files.exists(statusFile) ? new YAMLMapper().readTree(statusFile.toFile()).path("status").path("phase").asText() : "";
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
