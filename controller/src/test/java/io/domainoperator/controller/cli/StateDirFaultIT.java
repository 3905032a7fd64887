package io.domainoperator.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression: with the state directory read-only, a journal write failed, the retries ran out and the change was
 * never applied, /readyz stayed 200 and the only report was stack traces. Now the agent (a real process, its state
 * directory made read-only by a real bind mount) answers /readyz 503 naming the state directory, and applies the
 * pending change (a halt) once the directory is writable again, without a restart.
 */
class StateDirFaultIT {
    private static final Duration WAIT = Duration.ofSeconds(180);
    private static final Pattern PORT = Pattern.compile("metrics on port (\\d+)");

    @TempDir
    Path tmp;
    private Path mounted;
    private CliProcess agent;

    /** A fault of the state directory the test can set and clear while the agent runs. */
    private interface Fault {
        void set() throws Exception;

        void clear() throws Exception;
    }

    @Test
    void aReadOnlyStateDirIsReportedAndThePendingChangeAppliedOnceItIsWritable() throws Exception {
        Path state = Files.createDirectories(tmp.resolve("state"));
        assumeThat(run("mount", "--bind", state.toString(), state.toString())).as("bind mounts need root: mount --bind failed").isZero();
        mounted = state;
        faultThenRecover(state, new Fault() {
            @Override
            public void set() throws Exception {
                assertThat(run("mount", "-o", "remount,bind,ro", state.toString())).as("remount read-only").isZero();
            }

            @Override
            public void clear() throws Exception {
                assertThat(run("mount", "-o", "remount,bind,rw", state.toString())).as("remount read-write").isZero();
            }
        });
    }

    /**
     * Issue 16's other state-directory fault, a full disk: the state directory is a small tmpfs, filled up to its last
     * byte while the domain runs; the pending halt waits with /readyz 503 and is applied once space is freed.
     */
    @Test
    void aFullStateDirIsReportedAndThePendingChangeAppliedOnceThereIsRoomAgain() throws Exception {
        Path state = Files.createDirectories(tmp.resolve("state"));
        assumeThat(run("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", state.toString()))
            .as("a tmpfs mount needs root: mount -t tmpfs failed").isZero();
        mounted = state;
        Path filler = tmp.resolve("state/filler");
        faultThenRecover(state, new Fault() {
            @Override
            public void set() throws Exception {
                byte[] block = new byte[64 * 1024];
                try (var out = Files.newOutputStream(filler)) {
                    while (true) {
                        out.write(block);
                    }
                } catch (IOException full) {
                    // No space left on device: the directory is full.
                }
                for (int i = 0; ; i++) { // the last blocks and inodes too
                    try {
                        Files.write(tmp.resolve("state/filler-" + i), new byte[512]);
                    } catch (IOException full) {
                        break;
                    }
                }
            }

            @Override
            public void clear() throws Exception {
                try (var files = Files.list(state)) {
                    for (Path f : files.filter(f -> f.getFileName().toString().startsWith("filler")).toList()) {
                        Files.delete(f);
                    }
                }
            }
        });
    }

    private void faultThenRecover(Path state, Fault fault) throws Exception {
        Path manifests = Files.createDirectories(tmp.resolve("manifests"));
        Path manifest = manifests.resolve("web.yaml");
        Files.writeString(manifest, manifest(true));
        agent = CliProcess.jar(tmp, Map.of("DOMAIN_OPERATOR_LOG_LEVEL", "INFO"), tmp.resolve("logs"), "standalone",
            "--manifests", "manifests", "--hypervisor", "sim", "--state-dir", state.toString(), "--metrics-port", "0", "--rescan", "1");
        await("web Running").atMost(WAIT).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            assertThat(agent.alive()).as("standalone running:\n%s", agent.stderr()).isTrue();
            assertThat(SimulatorDomainsOnDisk.namesAndPhases(state)).contains("web:RUNNING");
        });
        int port = port();
        assertThat(readyz(port).statusCode()).isEqualTo(200);

        fault.set();
        Files.writeString(manifest, manifest(false));
        await("/readyz 503 naming the state directory").atMost(WAIT).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            HttpResponse<String> r = readyz(port);
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.body()).contains("the state directory cannot be written").contains(state.resolve("journal").toString());
        });
        assertThat(SimulatorDomainsOnDisk.namesAndPhases(state)).as("nothing was done without its intent on record")
            .contains("web:RUNNING");

        fault.clear();
        await("the halt applied once the directory is writable, /readyz 200 again").atMost(WAIT).pollInterval(Duration.ofMillis(300))
            .untilAsserted(() -> {
                assertThat(agent.alive()).as("standalone running:\n%s", agent.stderr()).isTrue();
                assertThat(SimulatorDomainsOnDisk.read(state)).isEmpty();
                assertThat(readyz(port).statusCode()).isEqualTo(200);
                assertThat(read(state.resolve("status/default_web.yaml"))).contains("phase: \"Halted\"");
            });
    }

    private static String manifest(boolean activate) {
        return """
            apiVersion: domainoperator.io/v1alpha1
            kind: DomainConfig
            metadata: {name: web}
            spec:
              displayName: web
              activate: %s
              vcpus: 1
              memoryMiB: 64
              shutdownTimeoutSeconds: 10
            """.formatted(activate);
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "(no file " + file + ")";
    }

    private int port() {
        Matcher m = PORT.matcher(agent.stderr());
        assertThat(m.find()).as("the agent logs its metrics port:\n%s", agent.stderr()).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static HttpResponse<String> readyz(int port) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).build(),
                HttpResponse.BodyHandlers.ofString());
        }
    }

    private static int run(String... command) throws IOException, InterruptedException {
        return new ProcessBuilder(List.of(command)).inheritIO().start().waitFor();
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (agent != null && agent.alive()) {
            agent.terminate(60);
        }
        if (mounted != null) {
            run("umount", mounted.toString());
        }
    }
}
