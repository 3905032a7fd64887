package io.domainoperator.e2e.harness.image;

import io.domainoperator.e2e.harness.Kubectl;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Debian's podman running the project image as a container runtime on a node would: the image's own
 * entrypoint, user and file system. Its storage is a directory of its own under the cache (overlay), so the
 * machine's default container storage and other users of podman are left alone.
 *
 * <p>Root here lacks CAP_SYS_RESOURCE, so the runtime cannot raise rlimits to podman's defaults: every
 * container gets explicit {@code --ulimit}s within the current hard limits. No systemd runs here, hence
 * cgroupfs and a file for podman's events.
 */
public final class Podman {

    public static final String MISSING = "podman is not on PATH: .ci/setup.d/70-image.sh installs Debian's podman"
            + " (or pass -Ddomainoperator.podman=/path/to/podman)";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

    private final Path executable;
    private final Path storage;

    private Podman(Path executable, Path storage) {
        this.executable = executable;
        this.storage = storage;
    }

    public static Optional<Podman> locate(Path storage) {
        String configured = System.getProperty("domainoperator.podman");
        Optional<Path> found = configured != null && !configured.isBlank() ? Optional.of(Path.of(configured)) : onPath();
        return found.filter(Files::isExecutable).map(p -> new Podman(p, storage));
    }

    private static Optional<Path> onPath() {
        String path = System.getenv("PATH");
        return path == null ? Optional.empty() : Stream.of(path.split(File.pathSeparator))
                .filter(dir -> !dir.isBlank()).map(dir -> Path.of(dir, "podman")).filter(Files::isExecutable).findFirst();
    }

    /** Loads the archive into this storage (layers already there are skipped) and returns the image's id. */
    public String load(ImageArchive archive) {
        ok(Duration.ofMinutes(5), "pull", "--quiet", "oci-archive:" + archive.file() + ":" + archive.reference());
        return ok(DEFAULT_TIMEOUT, "image", "inspect", "--format", "{{.Id}}", archive.reference()).stdout().strip();
    }

    /** The image's size unpacked, as {@code podman images} reports it. */
    public long imageSize(String image) {
        return Long.parseLong(ok(DEFAULT_TIMEOUT, "image", "inspect", "--format", "{{.Size}}", image).stdout().strip());
    }

    /** {@code podman run --rm} in the foreground: the container's exit code and output. */
    public Kubectl.Result run(Duration timeout, List<String> options, String image, List<String> args) {
        List<String> command = new ArrayList<>(List.of("run", "--rm"));
        command.addAll(limits());
        command.addAll(options);
        command.add(image);
        command.addAll(args);
        return podman(timeout, command);
    }

    /** {@code podman run -d}: starts a named container in the background. */
    public void start(String name, List<String> options, String image, List<String> args) {
        List<String> command = new ArrayList<>(List.of("run", "-d", "--name", name));
        command.addAll(limits());
        command.addAll(options);
        command.add(image);
        command.addAll(args);
        ok(DEFAULT_TIMEOUT, command.toArray(String[]::new));
    }

    /** SIGTERM, as a kubelet stops a container, SIGKILL after {@code grace}; returns the exit code. */
    public int stop(String name, Duration grace) {
        ok(grace.plus(DEFAULT_TIMEOUT), "stop", "--time", Long.toString(grace.toSeconds()), name);
        return Integer.parseInt(ok(DEFAULT_TIMEOUT, "wait", name).stdout().strip());
    }

    /** Whether the container is still running. */
    public boolean running(String name) {
        Kubectl.Result state = podman(DEFAULT_TIMEOUT, List.of("inspect", "--format", "{{.State.Running}}", name));
        return state.succeeded() && state.stdout().strip().equals("true");
    }

    /** What the container printed (stdout and stderr). */
    public String logs(String name) {
        Kubectl.Result logs = ok(DEFAULT_TIMEOUT, "logs", name);
        return logs.stdout() + logs.stderr();
    }

    public void remove(String name) {
        podman(DEFAULT_TIMEOUT, List.of("rm", "--force", "--ignore", name));
    }

    private static List<String> limits() {
        // Within this machine's hard limits, which the runtime may not raise.
        return List.of("--ulimit", "nofile=4096:4096", "--ulimit", "nproc=8192:8192");
    }

    private Kubectl.Result ok(Duration timeout, String... args) {
        Kubectl.Result result = podman(timeout, List.of(args));
        if (!result.succeeded()) {
            throw new AssertionError("podman failed: " + result.describe());
        }
        return result;
    }

    private Kubectl.Result podman(Duration timeout, List<String> args) {
        List<String> command = new ArrayList<>(List.of(executable.toString(),
                "--root", storage.toString(),
                // Run state belongs in a temporary file system: a reboot must not leave stale locks behind.
                "--runroot", Path.of(System.getProperty("java.io.tmpdir"), "domain-operator-podman").toString(),
                "--storage-driver", "overlay",
                // crun refuses cgroup v1 with a v2 mount beside it ("hybrid mode"), as these machines have; runc runs.
                "--runtime", "runc",
                "--cgroup-manager", "cgroupfs",
                "--events-backend", "file"));
        command.addAll(args);
        return Kubectl.exec(command, Map.of(), null, timeout);
    }
}
