package io.domainoperator.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory admission (rule 11) as a user meets it: {@code domain-operator standalone --hypervisor sim
 * --sim-host-memory 256} as a process, with two 160 MiB domains in its folder. One runs; the other is Pending,
 * InsufficientMemory, with the figures in its status file, and no failed boot; removing the first manifest frees
 * the memory and the second boots.
 */
// Among the longest classes without guests: first of the worker that starts from the end (see the failsafe configuration).
@Order(Order.DEFAULT + 1)
class StandaloneMemoryProcessIT {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    Path tmp;

    @Test
    void aDomainThatDoesNotFitWaitsPendingThenBootsWhenTheOtherGoes() throws IOException {
        Path folder = Files.createDirectories(tmp.resolve("manifests"));
        Files.writeString(folder.resolve("a.yaml"), manifest("alpha"));
        Files.writeString(folder.resolve("b.yaml"), manifest("beta"));
        CliProcess agent = CliProcess.jar(tmp, Map.of("DOMAIN_OPERATOR_LOG_LEVEL", "INFO"), tmp.resolve("logs"),
            "standalone", "--manifests", "manifests", "--hypervisor", "sim", "--sim-host-memory", "256",
            "--poll-interval", "1s", "--rescan", "1", "--metrics-port", "0");
        Path status = tmp.resolve("state/status");
        try {
            await("one Running, one Pending").atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                assertThat(agent.alive()).as("standalone still running; stderr:\n%s", agent.stderr()).isTrue();
                assertThat(java.util.List.of(phase(status, "alpha"), phase(status, "beta")))
                    .containsExactlyInAnyOrder("Running", "Pending");
            });
            String waiting = phase(status, "alpha").equals("Pending") ? "alpha" : "beta";
            String running = waiting.equals("alpha") ? "beta" : "alpha";
            await("the figures settle").atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                JsonNode ready = ready(status, waiting);
                assertThat(ready.path("reason").asText()).isEqualTo("InsufficientMemory");
                assertThat(ready.path("message").asText()).contains("needs 160 MiB (spec.memoryMiB)")
                    .contains("96 MiB free").contains("0 MiB are reserved");
            });
            assertThat(read(status, waiting).path("status").path("bootAttempts").asInt()).isZero();

            Files.delete(folder.resolve(running.equals("alpha") ? "a.yaml" : "b.yaml"));
            await(waiting + " boots once " + running + " is gone").atMost(WAIT).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(phase(status, waiting)).isEqualTo("Running"));
            assertThat(read(status, waiting).path("status").path("bootAttempts").asInt()).isZero();
        } finally {
            CliProcess.Result r = agent.terminate(120);
            assertThat(r.exit()).as("%s", r).isIn(0, 143);
        }
    }

    private static String manifest(String name) {
        return """
            apiVersion: domainoperator.io/v1alpha1
            kind: DomainConfig
            metadata: {name: %s, namespace: default}
            spec:
              displayName: %s
              virtualizationMode: HVM
              vcpus: 1
              memoryMiB: 160
            """.formatted(name, name);
    }

    private static JsonNode read(Path statusDir, String name) throws IOException {
        Path file = statusDir.resolve("default_" + name + ".yaml");
        return Files.exists(file) ? YAML.readTree(file.toFile()) : YAML.createObjectNode();
    }

    private static String phase(Path statusDir, String name) throws IOException {
        return read(statusDir, name).path("status").path("phase").asText("(no status)");
    }

    private static JsonNode ready(Path statusDir, String name) throws IOException {
        for (JsonNode c : read(statusDir, name).path("status").path("conditions")) {
            if ("Ready".equals(c.path("type").asText())) {
                return c;
            }
        }
        return YAML.createObjectNode();
    }
}
