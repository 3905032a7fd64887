package io.domainoperator.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression: after {@code standalone --halt-on-exit} halted the domains on SIGTERM, the status files still said
 * Running (the halt wrote no status, and the status mirror was closed by its own shutdown hook meanwhile). Now
 * each status file says Halted, with Ready False and the reason, once the process has exited.
 */
class HaltOnExitStatusIT {
    private static final YAMLMapper YAML = new YAMLMapper();

    @TempDir
    Path tmp;

    @Test
    void statusFilesSayHaltedAfterTheHaltOnExit() throws IOException {
        Path manifests = Files.createDirectories(tmp.resolve("manifests"));
        for (String name : new String[] {"db", "app"}) {
            Files.writeString(manifests.resolve(name + ".yaml"), """
                apiVersion: domainoperator.io/v1alpha1
                kind: DomainConfig
                metadata: {name: %s}
                spec:
                  displayName: %s
                  vcpus: 1
                  memoryMiB: 64
                  startAfter: %s
                """.formatted(name, name, name.equals("app") ? "[db]" : "[]"));
        }
        CliProcess agent = CliProcess.jar(tmp, Map.of("DOMAIN_OPERATOR_LOG_LEVEL", "INFO"), tmp.resolve("logs"), "standalone",
            "--manifests", "manifests", "--hypervisor", "sim", "--halt-on-exit", "--metrics-port", "0");
        Path status = tmp.resolve("state/status");
        await("db and app Running").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            assertThat(agent.alive()).as("standalone running:\n%s", agent.stderr()).isTrue();
            assertThat(status(status, "db").path("phase").asText()).isEqualTo("Running");
            assertThat(status(status, "app").path("phase").asText()).isEqualTo("Running");
        });

        CliProcess.Result r = agent.terminate(300);
        assertThat(r.exit()).as("%s", r).isIn(0, 143);
        for (String name : new String[] {"db", "app"}) {
            JsonNode s = status(status, name);
            assertThat(s.path("phase").asText()).as("%s's status file after the halt on exit:\n%s", name, s).isEqualTo("Halted");
            assertThat(s.path("domainId").isMissingNode() || s.path("domainId").isNull()).as("no domain id: %s", s).isTrue();
            JsonNode ready = condition(s, "Ready");
            assertThat(ready.path("status").asText()).isEqualTo("False");
            assertThat(ready.path("reason").asText()).isEqualTo("HaltedOnExit");
        }
        assertThat(SimulatorDomainsOnDisk.read(tmp.resolve("state"))).as("the simulator's domains").isEmpty();
    }

    private static JsonNode status(Path dir, String name) throws IOException {
        Path file = dir.resolve("default_" + name + ".yaml");
        return Files.exists(file) ? YAML.readTree(file.toFile()).path("status") : YAML.createObjectNode();
    }

    private static JsonNode condition(JsonNode status, String type) {
        for (JsonNode c : status.path("conditions")) {
            if (type.equals(c.path("type").asText())) {
                return c;
            }
        }
        return YAML.createObjectNode();
    }
}
