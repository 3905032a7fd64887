package io.domainoperator.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.domainoperator.controller.crash.CrashSwitch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * One crash point tried on one standalone agent: a domain {@code web} with a disk copied on start, driven to the
 * point by the scenario's goal (boot it; halt it with {@code activate: false}; delete its manifest), the agent
 * killed there by the crash switch, a second agent started on the same state directory, and the invariants
 * checked once it has converged.
 */
final class CrashScenario implements AutoCloseable {
    /** A JVM killed by SIGKILL: 128 + 9. */
    static final int SIGKILL_EXIT = 137;
    private static final Duration CONVERGE = Duration.ofSeconds(180);
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where the scenario drives the domain; the goals after DELETE are issue 18's ({@link LifecycleCrashGoals}). */
    enum Goal { BOOT, HALT, DELETE, RESIZE, PAUSE, RESUME, SUSPEND, RESTORE, RESTORE_CORRUPT, HALT_SAVED, SAVE }

    record Point(String crashAt, Goal goal) {
        @Override
        public String toString() {
            return crashAt + " on the way to " + goal;
        }
    }

    private final Path dir;
    private final String hypervisor;
    private final List<String> extraArgs;
    private final Path manifest;
    private final Path source;
    private final byte[] image;
    private final List<CliProcess> processes = new ArrayList<>();
    /** The tiny Linux guest's folder (kernel, initrd, cmdline) under QEMU; null on the simulator. */
    private final Path guest;
    /** The domain's GPU and the fake kernel the agent process applies, or null without passthrough. */
    private CrashPassthrough passthrough;
    private final LifecycleCrashGoals lifecycle = new LifecycleCrashGoals(this);
    private int vcpus = 1;
    private Integer memoryMiB;

    CrashScenario(Path dir, String hypervisor, Path guest, String... extraArgs) throws IOException {
        this.dir = dir;
        this.guest = guest;
        this.hypervisor = hypervisor;
        this.extraArgs = List.of(extraArgs);
        this.manifest = Files.createDirectories(dir.resolve("manifests")).resolve("web.yaml");
        this.source = Files.createDirectories(dir.resolve("images")).resolve("web.img");
        image = new byte[1 << 20];
        new Random(16).nextBytes(image);
        Files.write(source, image);
        writeManifest(true, "");
    }

    /** On the simulator, with the domain asking for the fake machine's GPU ({@link CrashPassthrough}). */
    static CrashScenario simWithGpu(Path dir) throws IOException {
        CrashScenario s = new CrashScenario(dir, "sim", null);
        s.passthrough = new CrashPassthrough(dir);
        s.writeManifest(true, "");
        return s;
    }

    /** The domain; {@code extraSpec} is appended to its spec (indented two spaces). */
    void writeManifest(boolean activate, String extraSpec) throws IOException {
        String boot = guest == null ? "" : "  kernel: %s\n  ramdisk: %s\n  cmdline: \"%s\"\n".formatted(guest.resolve("vmlinuz"),
            guest.resolve("initrd.img"), Files.readString(guest.resolve("cmdline")).strip());
        Files.writeString(manifest, """
            apiVersion: domainoperator.io/v1alpha1
            kind: DomainConfig
            metadata: {name: web}
            spec:
              displayName: web
              activate: %s
              vcpus: %s
              memoryMiB: %s
              shutdownTimeoutSeconds: 20
              disks:
                - source: %s
                  format: raw
                  target: xvda
                  copyOnStart: true
            %s%s%s""".formatted(activate, vcpus, memoryMiB == null ? guestMemoryMiB() : memoryMiB, source, boot,
            passthrough == null ? "" : passthrough.manifestLines(), extraSpec));
    }

    /**
     * The test guest (Debian's kernel and a 9 MB initramfs) needs 128 MiB: with 64 it resets at once, before its
     * first line of output, and a reset loop can pass for Running between two polls.
     */
    int guestMemoryMiB() {
        return guest == null ? 64 : 128;
    }

    /** The size the next {@link #writeManifest} asks for. */
    void size(int vcpus, int memoryMiB) {
        this.vcpus = vcpus;
        this.memoryMiB = memoryMiB;
    }

    Path dir() {
        return dir;
    }

    /** Under QEMU with the test guest (else the simulator). */
    boolean onQemu() {
        return guest != null;
    }

    Path stateDir() {
        return dir.resolve("state");
    }

    Path copies() {
        return dir.resolve("copies");
    }

    CliProcess start(Map<String, String> extraEnv) {
        Map<String, String> env = new HashMap<>(Map.of("DOMAIN_OPERATOR_LOG_LEVEL", "INFO"));
        env.putAll(extraEnv);
        List<String> args = new ArrayList<>(List.of("standalone", "--manifests", "manifests", "--hypervisor", hypervisor,
            "--state-dir", "state", "--image-root", copies().toString(), "--allowed-image-root",
            dir.resolve("images") + (guest == null ? "" : "," + guest),
            "--run-dir", dir.resolve("run").toString(), "--metrics-port", "0", "--rescan", "1"));
        args.addAll(extraArgs);
        CliProcess p;
        if (passthrough != null) {
            args.addAll(passthrough.args());
            env.putAll(passthrough.env());
            p = CliProcess.jarWith(CrashPassthrough.classpath(), dir, env, dir.resolve("logs"), args.toArray(String[]::new));
        } else {
            p = CliProcess.jar(dir, env, dir.resolve("logs"), args.toArray(String[]::new));
        }
        processes.add(p);
        return p;
    }

    /**
     * One row of a crash matrix: kill the agent at {@code point}, start the next one and wait until it converges;
     * the row ({@code converged} or {@code FAILED}) goes into {@code matrix} either way, and the scenario is closed.
     */
    void killRestartAndConverge(Point point, List<String> matrix) throws IOException {
        String outcome = "FAILED";
        try {
            runUntilKilled(point);
            restartAndConverge(point.goal());
            outcome = "converged";
        } finally {
            matrix.add(String.format("%-26s %-7s %s", point.crashAt(), point.goal(), outcome));
            close();
        }
    }

    /** Starts an agent armed at the point, drives the domain towards the goal, and waits for the SIGKILL. */
    void runUntilKilled(Point point) throws IOException {
        lifecycle.prepare(point.goal());
        CliProcess armed = start(Map.of(CrashSwitch.ENV, point.crashAt()));
        if (point.goal() != Goal.BOOT) {
            await("web Running before it is asked to " + point.goal()).atMost(CONVERGE).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> {
                    assertThat(armed.alive()).as("the agent died before web was Running:\n%s", armed.stderr()).isTrue();
                    assertThat(phase()).isEqualTo("Running");
                });
            if (point.goal() == Goal.HALT) {
                writeManifest(false, "");
            } else if (point.goal() == Goal.DELETE) {
                Files.delete(manifest);
            } else {
                lifecycle.drive(point.goal(), armed);
            }
        }
        CliProcess.Result killed = armed.finish(CONVERGE.toSeconds());
        assertThat(killed.exit()).as("killed by the switch at %s: %s", point.crashAt(), killed).isEqualTo(SIGKILL_EXIT);
        assertThat(killed.stderr()).contains("CrashSwitch: SIGKILL at " + point.crashAt().split(":")[0]);
        lifecycle.afterKill(point.goal());
    }

    /** Waits until the armed agent, still alive, reports {@code phase}. */
    void awaitPhase(CliProcess armed, String phase) {
        await("web " + phase).atMost(CONVERGE).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            assertThat(armed.alive()).as("the agent died before web was %s:\n%s", phase, armed.stderr()).isTrue();
            assertThat(phase()).isEqualTo(phase);
        });
    }

    /** A second agent on the same state directory; waits for the goal, then checks every invariant. */
    void restartAndConverge(Goal goal) {
        CliProcess next = start(Map.of());
        await("after the restart, web reaches " + goal).atMost(CONVERGE).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            assertThat(next.alive()).as("the restarted agent is running:\n%s", next.stderr()).isTrue();
            switch (goal) {
                case BOOT -> {
                    assertThat(phase()).isEqualTo("Running");
                    assertThat(domains()).as("domains on the hypervisor").containsExactly("web:RUNNING");
                }
                case HALT -> {
                    assertThat(phase()).isEqualTo("Halted");
                    assertThat(domains()).as("domains on the hypervisor").isEmpty();
                }
                case DELETE -> {
                    // The manifest went while no agent ran: standalone's in-process API server keeps no finalizer,
                    // so the domain is halted as an orphan and its disk copy is kept (removing copies because a
                    // manifest is missing at start would wipe every disk of a node whose folder did not mount).
                    assertThat(domains()).as("domains on the hypervisor").isEmpty();
                    List<String> left = files(copies());
                    assertThat(left).as("the disk copy, kept or removed whole").hasSizeLessThanOrEqualTo(1)
                        .noneMatch(n -> n.endsWith(".partial"));
                    if (!left.isEmpty()) {
                        assertThat(Files.readAllBytes(copies().resolve(left.get(0)))).as("the kept copy's content").isEqualTo(image);
                    }
                    assertThat(stateDir().resolve("status/default_web.yaml")).as("status file after delete").doesNotExist();
                    assertThat(files(stateDir().resolve("journal"))).as("journal files").noneMatch(n -> n.contains(".corrupt-"));
                }
                default -> lifecycle.assertConverged(goal);
            }
            if (goal != Goal.DELETE) {
                assertJournalClean();
                assertCopyIntact();
            }
            if (passthrough != null) {
                passthrough.assertConverged(goal == Goal.BOOT);
            }
        });
        assertThat(next.stderr()).as("no stack trace in the restarted agent's log").doesNotContain("\tat ");
    }

    private void assertJournalClean() throws IOException {
        Path journal = stateDir().resolve("journal");
        assertThat(files(journal)).as("journal entries").containsExactly("default%2Fweb.json");
        JsonNode entry = JSON.readTree(journal.resolve("default%2Fweb.json").toFile());
        assertThat(entry.path("intent").path("outcome").asText("none")).as("no intent pending: %s", entry).isNotEqualTo("PENDING");
        assertThat(entry.path("pendingDisks")).as("no disk pending: %s", entry).isEmpty();
        assertThat(entry.path("pendingAdapters")).as("no adapter pending: %s", entry).isEmpty();
    }

    private void assertCopyIntact() throws IOException {
        List<String> copies = files(copies());
        assertThat(copies).as("exactly one disk copy, no partial one").hasSize(1).noneMatch(n -> n.endsWith(".partial"));
        assertThat(Files.readAllBytes(copies().resolve(copies.get(0)))).as("the copy's content").isEqualTo(image);
        assertThat(Files.readAllBytes(source)).as("the source is never touched").isEqualTo(image);
    }

    String phase() throws IOException {
        Path file = stateDir().resolve("status/default_web.yaml");
        return Files.exists(file) ? YAML.readTree(file.toFile()).path("status").path("phase").asText() : "(no status file)";
    }

    /**
     * The domains on the hypervisor: the simulator's as it keeps them in the state directory ("name:PHASE"), or
     * under QEMU one "name:RUNNING" per live QEMU process of the domain (its pid file), whatever its guest does.
     */
    List<String> domains() throws IOException {
        if (guest != null) {
            return qemuProcesses().stream().map(p -> "web:RUNNING").toList();
        }
        return SimulatorDomainsOnDisk.namesAndPhases(stateDir());
    }

    /** Live QEMU processes of this scenario, found by the pid files the backend keeps in state/qemu/<domain>/pid. */
    List<ProcessHandle> qemuProcesses() throws IOException {
        Path qemu = stateDir().resolve("qemu");
        if (!Files.isDirectory(qemu)) {
            return List.of();
        }
        List<ProcessHandle> live = new ArrayList<>();
        try (Stream<Path> domains = Files.list(qemu)) {
            for (Path pidFile : domains.map(d -> d.resolve("pid")).filter(Files::isRegularFile).toList()) {
                try {
                    ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip())).filter(ProcessHandle::isAlive)
                        .filter(h -> h.info().commandLine().map(c -> c.contains("qemu-system")).orElse(false)).ifPresent(live::add);
                } catch (NumberFormatException e) {
                    // a pid file being written
                }
            }
        }
        return live;
    }

    /** File names in a directory (hidden temporaries included), sorted; none when it does not exist. */
    static List<String> files(Path d) throws IOException {
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(d)) {
            return s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Override
    public void close() {
        for (CliProcess p : processes) {
            if (p.alive()) {
                p.terminate(60);
            }
        }
        try {
            // The guests outlive the agent (no --halt-on-exit): none may outlive the test.
            qemuProcesses().forEach(ProcessHandle::destroyForcibly);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
